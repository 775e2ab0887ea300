; fw_acpi_sleep.asm - fw_acpi.asm, but SLP_EN goes with a sleep type other
; than \_S5's (a sleep state vmxlab does not have): no power-off; the guest
; goes on and ends with its summary.
%define GUEST_NAME "fw_acpi_sleep"
%define ACPI_OTHER_SLEEP_TYPE
%include "fw_acpi.asm"
