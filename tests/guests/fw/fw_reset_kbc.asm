; fw_reset_kbc.asm - fw_reset.inc with route 1 (see there).
%define GUEST_NAME "fw_reset_kbc"
%define RESET_ROUTE 1
%include "fw_reset.inc"
