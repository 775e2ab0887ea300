; fw_reset_cf9.asm - fw_reset.inc with route 2 (see there).
%define GUEST_NAME "fw_reset_cf9"
%define RESET_ROUTE 2
%include "fw_reset.inc"
