; rm_emulated_fault.asm - only the #GP that an instruction vmxassist emulates
; raises (MOV to CR0 with PG=1, PE=0), through the guest's IVT: rm_exceptions
; without its VM86 exceptions, so that lab 4's exercise 2 is graded on its own.
%define GUEST_NAME "rm_emulated_fault"
%define EMULATED_ONLY
%include "rm_exceptions.asm"
