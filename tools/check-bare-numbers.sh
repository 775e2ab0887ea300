#!/bin/sh
# check-bare-numbers.sh - one home per constant: fails when hv/, vmxassist/,
# rombios/ or vgabios/ spell out a number that has a name in include/, or
# define such a name outside its header: the PIC, PIT, CMOS, 8042 and COM
# ports and command bytes (x86/pic.h, pit.h, cmos.h, kbc.h, ioport.h); the BDA
# offsets (bios/bda.h); the drive-number classes and the far structures'
# offsets (bios/int13.h, int15.h); the exception vectors (x86/exception.h);
# the VMX interruption types (x86/vmx.h); the segment access rights
# (x86/segment.h); the CR0/CR4 bits (x86/cr.h). The .asm files get the same
# names through build/gen/fw.inc (tools/fw-inc.c) and build/gen/NAME.inc
# (the Makefile's %.inc rule). docs/testing.md lists the checks.
cd "$(dirname "$0")/.." || exit 2
DIRS="hv vmxassist rombios vgabios"
fail=0
check() { # name, extended regexp[, directories (default $DIRS)[, the one file allowed to match]]
    hits=$(grep -rnE --include='*.c' --include='*.h' --include='*.asm' --include='*.inc' "$2" ${3:-$DIRS} |
        grep -v "^${4:-/}:")
    if [ -n "$hits" ]; then
        echo "FAIL: $1: a bare number where include/ has a name:"
        echo "$hits"
        fail=1
    fi
}
check "PIC/PIT/8042/CMOS ports" '\b(outb|inb)\(0x(20|21|a0|a1|4[0-3]|6[014]|7[01]|92)\b|\b(out|in)[[:space:]]+(0x(20|21|a0|a1|4[0-3]|6[014]|7[01])\b|(al|ax),[[:space:]]*0x)'
check "COM ports" '0x(3f8|2f8|3e8|2e8|3f9|3fa|3fb|3fc|3fd)\b'
check "port names defined outside include/" '#define[[:space:]]+(PIC[12]_|PIT_CH|PIT_MODE\b|CMOS_INDEX|CMOS_DATA|KBC_(DATA|STATUS|CMD)\b|UART_[A-Z]+[[:space:]]+[0-9]|COM1\b|COM1_BASE|PORT_(SYS_CTRL|NMI_SC|B\b|A20|KBC))'
check "CMOS registers" 'cmos_(read|write)\(0x'
check "BDA offsets" '#define[[:space:]]+BDA_[A-Z_]+[[:space:]]+0x|BDA_[A-Z_]+_[[:space:]]+equ|(peek|poke)[bwl]\(0x40,|push word 0x40\b|0x40e\b'
check "drive-number classes" '(dl|drive)[[:space:]]*(<|>=|>|<=|==)[[:space:]]*0x(80|e0)\b|(cmp|sub)[[:space:]]+(dl|al),[[:space:]]*0x(80|e0)\b|\{ *0x00, *0x80, *0xe0 *\}'
check "far-structure offsets counted by hand" '\b(si|di)[[:space:]]*\+[[:space:]]*(0x[0-9a-f]+|[0-9]+)\b'
S="$DIRS" D="$DIRS include"
check "exception vectors defined outside x86/exception.h" '(define|enum).*\b(VECTOR|V)_(DE|DB|NMI|BP|OF|BR|UD|NM|DF|TS|NP|SS|GP|PF|MF|AC|MC|XM|CP)\b *=? *[0-9]' "$D" include/x86/exception.h
check "bare exception vectors" '\b(v|vec|vector) *[!=]= *[0-9]+\b|inject_exception\([0-9]|%1 <> [0-9]' "$S"
check "bare interruption-information types" 'INTR_INFO_VALID *\| *\(|\([0-7]u << 8\) *\| *(vector|base|v)\b|~\(1u << 12\)' "$S"
check "interruption types defined outside x86/vmx.h" 'define +INTR_(TYPE|INFO)_' "$D" include/x86/vmx.h
check "bare access rights" 'VMX_AR_[A-Z]+ *\| *(0x)?[0-9]|ar >> 5|\bar & (15|0x[0-9a-f]+)\b|1u << 16 /\* unusable|, 0x(8[9be]|9[23ab]) *[,}]|0x(8e|89)ull|0x00[ac]f9[23ab]' "hv vmxassist"
check "access rights defined outside x86/segment.h" '#define +(VMX_AR_|SEG_TYPE_|SEG_DESC)' "$D" include/x86/segment.h
check "CR0/CR4 bits defined outside x86/cr.h" '#define +CR[04]_[A-Z0-9_]+ +\(' "$D" include/x86/cr.h
check "bare CR0/CR4 bits" '(cr[04]|CR0_READ_SHADOW|GUEST_CR[04]\)) *(\||&) *~?\(?(1u?|0x[0-9a-f]+u?l*)\b|0x60000010 *;|~0xeull|& ~0xfu' "$S"
if grep -rnE '^\s*(or|and) +(al|eax), *(1|0xfe|~1|1 << (5|31)|~\(3 << 29\)|\(1 << 31\) \| 1)\s*(;|$)' boot rombios vgabios vmxloader hv vmxassist --include=*.asm; then
    echo "FAIL: bare CR0 bits in assembly (build/gen/cr.inc names them)"; fail=1
fi
if grep -nE 'case 0x' hv/cmos.c; then echo "FAIL: hv/cmos.c: CMOS registers by number"; fail=1; fi
[ $fail = 0 ] && echo "PASS: constants_have_one_home_bare_numbers"
exit $fail
