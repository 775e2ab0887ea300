#!/bin/sh
# check-fw-constants.sh - one home per constant: fails when hv/, vmxassist/,
# rombios/ or vgabios/ spell out a number that has a name in include/ (the
# PIC, PIT, CMOS, 8042 and COM ports and command bytes: x86/pic.h, pit.h,
# cmos.h, kbc.h, ioport.h; the BDA offsets: bios/bda.h; the drive-number
# classes and the far structures' offsets: bios/int13.h, int15.h). The
# .asm files get the same names through build/gen/fw.inc (tools/fw-inc.c).
cd "$(dirname "$0")/.." || exit 2
DIRS="hv vmxassist rombios vgabios"
fail=0
check() { # name, extended regexp
    hits=$(grep -rnE --include='*.c' --include='*.h' --include='*.asm' --include='*.inc' "$2" $DIRS)
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
if grep -nE 'case 0x' hv/cmos.c; then echo "FAIL: hv/cmos.c: CMOS registers by number"; fail=1; fi
[ $fail = 0 ] && echo "PASS: fw_constants_have_one_home"
exit $fail
