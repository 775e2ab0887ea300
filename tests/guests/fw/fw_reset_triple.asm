; fw_reset_triple.asm - fw_reset.inc with route 3 (see there).
%define GUEST_NAME "fw_reset_triple"
%define RESET_ROUTE 3
%include "fw_reset.inc"
