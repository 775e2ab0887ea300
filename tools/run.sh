#!/bin/bash
# run.sh - boot a vmxlab ISO in an engine and exit with the guest's status.
#
# Usage: tools/run.sh [options] ISO
#        tools/run.sh --no-hv --rom FILE [--vgarom FILE] --disk IMAGE [options]
#   --engine E     auto (default), bochs, qemu (TCG, no VT-x) or kvm (nested VMX)
#   --cpu MODEL    Bochs CPU model (default corei7_sandy_bridge_2600k); see
#                  `bochs --help cpu`: corei5_lynnfield_750 has EPT but no
#                  unrestricted guest, core2_penryn_t9600 has no EPT
#   --log FILE     where COM1 goes (default: build/run/<iso name>.serial)
#   --timeout S    give up after S seconds (default 600)
#   --watchdog S   the hv's watchdog=S (hv/watchdog.c): a guest that makes no
#                  progress (no VM exit) for S seconds of guest time is
#                  stopped with the guest state, its last 16 sampled CS:RIP
#                  and status 119. Default: the timeout less a fifth, so that
#                  a hung run ends with that dump instead of a bare 124 (in
#                  Bochs guest time runs faster than the wall clock: at least
#                  --ips instructions a second). 0: off. run.sh writes it
#                  into its copy of the ISO (the fixed-width vmxlab_runner
#                  field of iso/grub.cfg); a watchdog= in the ISO's own hv
#                  options wins. Off with --screen-at-timeout and --until,
#                  whose guests run until run.sh stops them, and --no-hv
#   --onreset R    the hv's onreset=R (hv/reset.c) for a guest's machine
#                  reset: exit (default: the run ends with status 120 and a
#                  line naming the reset) or restart (vmxloader and the
#                  guest firmware start again, as on a PC; the GRUB menu's
#                  own default when the ISO boots a real PC). Written with
#                  the watchdog; an onreset= in the ISO's hv options wins
#   --mem MIB      the machine's RAM in MiB (default 256; the hv keeps its
#                  own 2 MiB frame and the guest's E820 map and CMOS sizes
#                  end below it). 64 is too small for a current Linux
#                  kernel's decompressor; installers want 512
#   --smp N        CPUs in the machine (default 1): Bochs `cpu: count=N`,
#                  QEMU -smp N. The hv runs the guest on the first; the
#                  others stay parked as the firmware left them (halted,
#                  or waiting for SIPI), and the guest's INIT and SIPI
#                  IPIs to them are dropped (hv/apic.c, SECURITY.md)
#   --ips N        Bochs only: instructions per emulated second (default
#                  4000000). Devices keep emulated time (the RTC's 1024 Hz
#                  periodic interrupt comes every ips/1024 instructions), so
#                  a guest whose interrupt handler costs more instructions
#                  than that (a real-mode handler reached through mode
#                  switches in mode=assist) needs a faster CPU, like a real one
#   --nic NIC      a PCI network card: e1000 (Intel 82540EM), ne2k (NE2000
#                  PCI) or none (default). Its MAC is 52:54:00:12:34:56 and
#                  it has no network behind it (Bochs ethmod=null; QEMU a
#                  card without a netdev), so network boots give up
#   --screen-at-timeout  Bochs only: when the timeout hits, copy the VGA text
#                  screen (80x25 at physical B8000) into the COM1 log as
#                  "vmxlab-screen: " lines, the format of the hv's dump at
#                  power-off, after a "vmxlab-screen-at-timeout:" line. For
#                  guests that draw on the screen and never stop (memtest86+).
#                  (A Bochs BIOS panic ends Bochs at once, screen unread;
#                  run.sh then prints "run.sh: the BIOS panicked: MESSAGE")
#   --until REGEX  stop the machine as soon as a COM1 line matches REGEX
#                  (grep -E; checked each second) and exit with status 0,
#                  for guests that reach their goal and then wait (an
#                  installer's first dialog, memtest86+'s first test)
#   --uefi         QEMU only: a UEFI PC without CSM, QEMU's q35 with OVMF
#                  (Debian's ovmf) as its firmware, booting the ISO's
#                  x86_64-efi GRUB (a fresh copy of OVMF's variables each run)
#   --quiet        do not copy COM1 to stdout while the machine runs
#   --interactive  Bochs only: keep its debugger on the terminal
#   --snapshot     boot a copy of the --disk image (Bochs locks a hard disk
#                  image, so parallel boots of one image need copies; the
#                  guest's writes are then thrown away)
#   --disk IMAGE   attach a guest disk for the guest BIOS to boot: a floppy,
#                  hard-disk or CD image (tools/guest-kind.sh tells which).
#                  A CD guest makes the vmxlab ISO boot as a hard disk (it is
#                  hybrid) so that the guest's CD is the first CD-ROM.
#   --no-hv        no vmxlab ISO: boot the --disk image directly with --rom
#                  as the system BIOS, in plain Bochs (--engine bochs, the
#                  default; --vgarom, default /usr/share/vgabios/vgabios.bin,
#                  is its VGA BIOS, the rest of the machine as with the hv) or
#                  plain QEMU (--engine qemu: TCG, i440FX `pc`, --mem MiB,
#                  `-bios FILE`, the drive on the primary IDE master or as
#                  floppy A; --vgarom FILE becomes the ROM of QEMU's std VGA,
#                  `-device VGA,romfile=FILE`, which rombios copies from the
#                  ROM BAR to C0000; without it QEMU's own VGA BIOS runs).
#                  There is no hv power-off line; the status is:
#                    N    QEMU: the guest wrote N to port F4h (isa-debug-exit
#                         quits QEMU with 2*N+1; run.sh gives N back). The
#                         GRUB guest writes 0, rombios' bios_stop 117
#                    0    Bochs: the guest stopped Bochs itself (its
#                         "Shutdown" port 0x8900, the magic breakpoint, or
#                         an ACPI S5 power-off, which Bochs logs as "ACPI
#                         control: soft power off"; Bochs has no device at
#                         port F4h)
#                    117  COM1 has a "rombios: error:" line (rombios stopped)
#                    124  timeout
#                    125  the engine stopped without the guest asking (QEMU:
#                         a reset or triple fault under -no-reboot; Bochs: a
#                         panic): see the engine log
#   --type TEXT    Bochs only: type TEXT on the PS/2 keyboard once a COM1 line
#                  says "waiting for a key" (tools/typekeys.py ps2)
#   --type-serial TEXT  Bochs only: the same as COM1 input (COM1 on a pty,
#                  copied to the log; tools/typekeys.py com1)
#
# The machine's COM1 output appears on stdout. The exit status is the one in
# the hv's "vmxlab: power-off status=N" line; 124 means the timeout hit, 125
# that the engine stopped without that line (see the engine log next to LOG).
# `auto` picks kvm when /dev/kvm is usable and the host CPU has VMX with
# nested virtualization on, and bochs otherwise.
set -u

engine=auto cpu=corei7_sandy_bridge_2600k smp=1 log= timeout=600 watchdog= onreset=exit mem=256 ips=4000000 quiet=0 interactive=0 iso= disk= snapshot=0 type= type_serial=
uefi=0 nohv=0 rom= vgarom=/usr/share/vgabios/vgabios.bin vgarom_set=0 nic=none nic_set=0 screen_at_timeout=0 until=
usage() { sed -n '2,/^set -u/p' "$0" | sed '$d' | sed 's/^# \{0,1\}//'; }
while [ $# -gt 0 ]; do
    case "$1" in
        --engine) engine=$2; shift 2 ;;
        --cpu) cpu=$2; shift 2 ;;
        --log) log=$2; shift 2 ;;
        --timeout) timeout=$2; shift 2 ;;
        --watchdog) watchdog=$2; shift 2 ;;
        --onreset) onreset=$2; shift 2 ;;
        --mem) mem=$2; shift 2 ;;
        --ips) ips=$2; shift 2 ;;
        --smp) smp=$2; shift 2 ;;
        --nic) nic=$2 nic_set=1; shift 2 ;;
        --screen-at-timeout) screen_at_timeout=1; shift ;;
        --until) until=$2; shift 2 ;;
        --uefi) uefi=1; shift ;;
        --quiet) quiet=1; shift ;;
        --interactive) interactive=1; shift ;;
        --disk) disk=$2; shift 2 ;;
        --snapshot) snapshot=1; shift ;;
        --no-hv) nohv=1; shift ;;
        --rom) rom=$2; shift 2 ;;
        --vgarom) vgarom=$2 vgarom_set=1; shift 2 ;;
        --type) type=$2; shift 2 ;;
        --type-serial) type_serial=$2; shift 2 ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "run.sh: unknown option '$1' (try --help)" >&2; exit 2 ;;
        *) iso=$1; shift ;;
    esac
done
if [ "$nohv" = 1 ]; then
    [ -z "$iso" ] || { echo "run.sh: --no-hv boots the --disk image, not an ISO ('$iso')" >&2; exit 2; }
    [ -n "$disk" ] || { echo "run.sh: --no-hv needs --disk IMAGE" >&2; exit 2; }
    [ -n "$rom" ] || { echo "run.sh: --no-hv needs --rom FILE (the system BIOS image)" >&2; exit 2; }
    case "$engine" in
    auto|bochs) engine=bochs ;;
    qemu) ;;
    *) echo "run.sh: --no-hv runs in Bochs or QEMU TCG (--engine bochs or qemu), not $engine" >&2; exit 2 ;;
    esac
    for f in "$rom" "$vgarom"; do
        [ -f "$f" ] || { echo "run.sh: ROM image $f does not exist" >&2; exit 2; }
    done
    iso=$disk # names the log
else
    [ -n "$iso" ] || { echo "run.sh: no ISO given (try --help)" >&2; exit 2; }
    [ -f "$iso" ] || { echo "run.sh: $iso does not exist (run make first)" >&2; exit 2; }
    [ -z "$rom" ] || { echo "run.sh: --rom goes with --no-hv (the hv brings its own firmware)" >&2; exit 2; }
fi
# Absolute paths: the engine runs in a directory of its own.
iso=$(realpath -s "$iso")
[ -z "$disk" ] || disk=$(realpath -s "$disk")

kvm_has_nested_vmx() {
    [ -r /dev/kvm ] && [ -w /dev/kvm ] && grep -qw vmx /proc/cpuinfo || return 1
    case "$(cat /sys/module/kvm_intel/parameters/nested 2>/dev/null)" in Y|1) return 0 ;; esac
    return 1
}
if [ "$engine" = auto ]; then
    if kvm_has_nested_vmx; then engine=kvm; else engine=bochs; fi
fi
case "$mem" in
    ''|*[!0-9]*) echo "run.sh: --mem takes MiB as a number, not '$mem'" >&2; exit 2 ;;
esac
if [ "$mem" -lt 16 ] || [ "$mem" -gt 3072 ]; then
    echo "run.sh: --mem $mem is outside 16-3072 MiB (the hv identity-maps the first 4 GiB, PCI holes included)" >&2
    exit 2
fi
case "$smp" in
    [1-8]) ;;
    *) echo "run.sh: --smp takes 1 to 8 CPUs, not '$smp'" >&2; exit 2 ;;
esac
case "$engine" in
    bochs|qemu|kvm) ;;
    *) echo "run.sh: unknown engine '$engine' (auto, bochs, qemu or kvm)" >&2; exit 2 ;;
esac
if [ "$engine" = kvm ] && ! kvm_has_nested_vmx; then
    echo "run.sh: engine kvm needs /dev/kvm on an Intel host with kvm_intel nested=1" >&2
    exit 2
fi

case "$nic" in
    e1000|ne2k|none) ;;
    *) echo "run.sh: --nic takes e1000, ne2k or none, not '$nic'" >&2; exit 2 ;;
esac
if [ "$screen_at_timeout" = 1 ] && [ "$engine" != bochs ]; then
    echo "run.sh: --screen-at-timeout reads the screen through the Bochs debugger: it needs --engine bochs" >&2
    exit 2
fi
if [ "$uefi" = 1 ] && [ "$engine" != qemu ]; then
    echo "run.sh: --uefi boots QEMU's q35 with OVMF: it needs --engine qemu" >&2
    exit 2
fi
if [ -n "$type$type_serial" ] && [ "$engine" != bochs ]; then
    echo "run.sh: --type and --type-serial need --engine bochs" >&2
    exit 2
fi

top=$(cd "$(dirname "$0")/.." && pwd)
floppy_type() { # Bochs' name for a floppy image's format
    case "$(stat -c %s "$1")" in 737280) echo 720k ;; 2949120) echo 2_88 ;; *) echo 1_44 ;; esac
}
kind=none
if [ -n "$disk" ]; then
    kind=$("$top/tools/guest-kind.sh" "$disk") || exit 2
fi
[ -n "$log" ] || log=$top/build/run/$(basename "$iso" .iso).serial
mkdir -p "$(dirname "$log")"
work=$(mktemp -d "${TMPDIR:-/tmp}/vmxlab-run.XXXXXX")
trap 'rm -rf "$work"; [ -n "${tailpid:-}" ] && kill "$tailpid" 2>/dev/null; [ -n "${typist:-}" ] && kill "$typist" 2>/dev/null' EXIT
: > "$log"
log=$(readlink -f "$log")
enginelog=${log%.serial}.$engine.log
if [ "$snapshot" = 1 ] && [ -n "$disk" ]; then
    cp "$disk" "$work/guest-disk" && disk=$work/guest-disk
fi
# The hv options for runs: "watchdog=S onreset=exit" into the 32 spaces of
# grub.cfg's vmxlab_runner field, in a copy of the ISO (same length: nothing
# else in the ISO moves).
case "$timeout$watchdog" in *[!0-9]*) echo "run.sh: --timeout and --watchdog take whole seconds" >&2; exit 2 ;; esac
case "$onreset" in exit|restart) ;; *) echo "run.sh: --onreset takes exit or restart, not '$onreset'" >&2; exit 2 ;; esac
if [ -z "$watchdog" ]; then
    watchdog=$((timeout - timeout / 5))
    { [ "$screen_at_timeout" = 1 ] || [ -n "$until" ] || [ "$interactive" = 1 ]; } && watchdog=0
fi
runner_field='set vmxlab_runner="                                "'
if [ "$nohv" = 0 ]; then
    runner_at=$(grep -boa -F -- "$runner_field" "$iso" | head -n 1 | cut -d: -f1)
    if [ -n "$runner_at" ]; then
        cp "$iso" "$work/vmxlab.iso" && iso=$work/vmxlab.iso
        printf '%-32.32s' "watchdog=$watchdog onreset=$onreset" |
            dd of="$iso" bs=1 seek=$((runner_at + 19)) conv=notrunc status=none
    fi
fi
if [ "$kind" = cdrom ] && [ "$engine" = bochs ] && [ "$nohv" = 0 ]; then
    cp "$iso" "$work/vmxlab-as-disk.img" && iso=$work/vmxlab-as-disk.img # booted as a (locked) hard disk
fi

case "$engine" in
bochs)
    # The headless configuration that works with Bochs 2.7, plus the drives.
    romimage=/usr/share/bochs/BIOS-bochs-latest
    case "$nohv$kind" in
    1*)     romimage=$(readlink -f "$rom") vgarom=$(readlink -f "$vgarom")
            case "$kind" in
            floppy) drives="floppya: $(floppy_type "$disk")=\"$disk\", status=inserted
boot: floppy" ;;
            disk)   drives="ata0-master: type=disk, path=\"$disk\", mode=flat
boot: disk" ;;
            cdrom)  drives="ata0-master: type=cdrom, path=\"$disk\", status=inserted
boot: cdrom" ;;
            esac ;;
    0none)  drives="ata0-master: type=cdrom, path=\"$iso\", status=inserted
boot: cdrom" ;;
    0floppy) drives="ata0-master: type=cdrom, path=\"$iso\", status=inserted
floppya: $(floppy_type "$disk")=\"$disk\", status=inserted
boot: cdrom" ;;
    0disk)  drives="ata0-master: type=cdrom, path=\"$iso\", status=inserted
ata0-slave: type=disk, path=\"$disk\", mode=flat
boot: cdrom" ;;
    0cdrom) drives="ata0-master: type=disk, path=\"$iso\", mode=flat
ata0-slave: type=cdrom, path=\"$disk\", status=inserted
boot: disk" ;;
    esac
    com1="com1: enabled=1, mode=file, dev=\"$log\""
    if [ -n "$type_serial" ]; then # COM1 on a pty of typekeys.py, which fills the log
        /usr/bin/python3 "$top/tools/typekeys.py" com1 --pty-file "$work/com1.pty" --done-file "$work/engine.done" \
            --serial "$log" --text "$type_serial" &
        typist=$!
        for _ in $(seq 100); do [ -f "$work/com1.pty" ] && break; sleep 0.05; done
        [ -f "$work/com1.pty" ] || { echo "run.sh: typekeys.py made no pty for COM1" >&2; exit 2; }
        com1="com1: enabled=1, mode=term, dev=\"$(cat "$work/com1.pty")\""
    fi
    nicrc= # the card in PCI slot 1 (Bochs wants a slot for ne2k's PCI model), no network behind it
    [ "$nic" != none ] && nicrc="pci: enabled=1, chipset=i440fx, slot1=$nic
$nic: enabled=1, mac=52:54:00:12:34:56, ethmod=null"
    # panic: the term display cannot show a graphics mode (the VBE framebuffer
    # GRUB's gfxpayload sets for the hv's fb.c); its panic is only reported,
    # and the machine runs on.
    cat > "$work/bochsrc" <<RC
megs: $mem
romimage: file=$romimage
vgaromimage: file=${vgarom}
cpu: model=$cpu, count=$smp, reset_on_triple_fault=0, ips=$ips
clock: sync=none, time0=946684800
$drives
$com1
$nicrc
port_e9_hack: enabled=1
magic_break: enabled=1
speaker: enabled=0
display_library: term
log: "$enginelog"
panic: action=fatal, term=report
error: action=report
RC
    # The debugger runs `c`; a SIGINT (the timeout) stops the machine and it
    # reads on: with --screen-at-timeout it first prints the text screen
    # (2000 16-bit cells, 4 a line) for screen_from_xp below.
    if [ "$screen_at_timeout" = 1 ]; then
        printf 'c\nxp /2000hx 0xb8000\nq\n' > "$work/cmds"
    else
        printf 'c\nq\n' > "$work/cmds"
    fi
    if [ "$interactive" = 1 ]; then
        bochs -q -f "$work/bochsrc"
        exit $?
    fi
    # Bochs runs in $work: its null network module writes eth_null-*.log files
    # into the current directory.
    (cd "$work" && TERM=dumb exec timeout -s INT "$timeout" bochs -q -f "$work/bochsrc" -rc "$work/cmds" \
        </dev/null >"$work/bochs.out" 2>&1) &
    ;;
qemu|kvm)
    accel="-cpu qemu64,vendor=GenuineIntel" vga=
    [ "$engine" = kvm ] && accel="-enable-kvm -cpu host,+vmx"
    case "$nic" in # a card without a netdev: QEMU warns that it is not connected
        e1000) vga="$vga -device e1000,mac=52:54:00:12:34:56" ;;
        ne2k) vga="$vga -device ne2k_pci,mac=52:54:00:12:34:56" ;;
        none) [ "$nic_set" = 1 ] && vga="$vga -nic none" ;;
    esac
    if [ "$nohv" = 1 ]; then # plain QEMU: rombios as -bios, the guest drive alone
        drives="-bios $rom"
        [ "$vgarom_set" = 1 ] && vga="-vga none -device VGA,romfile=$(readlink -f "$vgarom")"
    fi
    case "$nohv$kind" in
    1floppy) drives="$drives -drive file=$disk,if=floppy,index=0,format=raw -boot a" ;;
    1disk)   drives="$drives -drive file=$disk,if=ide,index=0,media=disk,format=raw -boot c" ;;
    1cdrom)  drives="$drives -drive file=$disk,if=ide,index=0,media=cdrom,format=raw -boot d" ;;
    0none)   drives="-cdrom $iso -boot d" ;;
    0floppy) drives="-cdrom $iso -drive file=$disk,if=floppy,format=raw -boot d" ;;
    0disk)   drives="-cdrom $iso -drive file=$disk,if=ide,index=1,format=raw -boot d" ;;
    0cdrom)  drives="-drive file=$iso,if=ide,index=0,media=disk,format=raw -drive file=$disk,if=ide,index=1,media=cdrom -boot c" ;;
    esac
    machine="-machine pc"
    if [ "$uefi" = 1 ]; then # OVMF's code read-only, its variables in a copy (the firmware writes them)
        cp /usr/share/OVMF/OVMF_VARS_4M.fd "$work/vars.fd"
        machine="-machine q35 -drive if=pflash,format=raw,readonly=on,file=/usr/share/OVMF/OVMF_CODE_4M.fd
            -drive if=pflash,format=raw,file=$work/vars.fd"
    fi
    timeout -s INT "$timeout" qemu-system-x86_64 $machine $accel -m $mem -smp $smp -display none -no-reboot \
        -serial "file:$log" -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
        $vga $drives </dev/null >"$enginelog" 2>&1 &
    ;;
esac
enginepid=$!
if [ -n "$type" ]; then
    /usr/bin/python3 "$top/tools/typekeys.py" ps2 --screen-log "$work/bochs.out" --serial "$log" \
        --pid "$enginepid" --text "$type" &
fi
if [ -n "$until" ]; then # SIGINT to timeout(1) reaches the engine as at the timeout, not counted as one
    ( while kill -0 "$enginepid" 2>/dev/null; do
          if grep -aEq -- "$until" "$log"; then
              touch "$work/until.hit"
              kill -INT "$enginepid"
              break
          fi
          sleep 1
      done ) &
fi
if [ "$quiet" = 0 ]; then
    tail -n +1 -f --pid="$enginepid" "$log" &
    tailpid=$!
fi
wait "$enginepid"
rc=$?
if [ -n "${typist:-}" ]; then # let it copy the rest of COM1 to the log
    touch "$work/engine.done"
    wait "$typist"
    typist=
fi
[ "$engine" = bochs ] && cat "$work/bochs.out" >> "$enginelog"
if [ -n "${tailpid:-}" ]; then
    wait "$tailpid" 2>/dev/null
    tailpid=
fi

status=$(grep -a -o 'vmxlab: power-off status=[0-9]*' "$log" | tail -n 1 | sed 's/.*=//')
# The Bochs BIOS reports its fatal errors (e.g. "No bootable device.") on its
# panic port, and Bochs then exits: say which, as the guest cannot.
if [ "$engine" = bochs ]; then
    biospanic=$(grep -a -o '\[BIOS  \] >>PANIC<< .*' "$enginelog" | head -n 1 | sed 's/.*>>PANIC<< //')
    [ -n "$biospanic" ] && echo "run.sh: the BIOS panicked: $biospanic" >&2
fi
# xp's lines: "0x00000000000b8000 <bogus+       0>:\t0x0720\t0x0756 ..." (one
# cell: character in the low byte, attribute in the high byte)
screen_from_xp() {
    /usr/bin/python3 - "$1" <<'PY'
import re, sys
cells = []
for line in open(sys.argv[1], errors="replace"):
    m = re.match(r"\s*0x0*b8[0-9a-f]{3}\b.*?:\s+(.*)$", line, re.I)
    if m:
        cells += [int(w, 16) for w in re.findall(r"0x([0-9a-f]+)", m.group(1), re.I)]
if len(cells) < 2000:
    print(f"vmxlab-screen-at-timeout: the Bochs debugger printed {len(cells)} of 2000 screen cells")
    sys.exit(0)
print("vmxlab-screen-at-timeout: the text screen at B8000 when the machine was stopped")
for r in range(25):
    row = "".join(chr(c & 0xff) if 32 <= (c & 0xff) < 127 else (" " if c & 0xff == 0 else ".")
                  for c in cells[r * 80:(r + 1) * 80]).rstrip()
    if row:
        print("vmxlab-screen: " + row)
PY
}
if { [ $rc -eq 124 ] || [ -f "$work/until.hit" ]; } && [ "$screen_at_timeout" = 1 ]; then
    screen_from_xp "$work/bochs.out" >> "$log"
    [ "$quiet" = 0 ] && grep -a '^vmxlab-screen' "$log"
fi
if [ -f "$work/until.hit" ]; then
    echo "run.sh: a COM1 line matched --until '$until': stopped the machine" >&2
    exit 0
fi
if [ $rc -eq 124 ]; then
    echo "run.sh: timed out after $timeout s; COM1 is in $log, the $engine log in $enginelog" >&2
    exit 124
fi
if [ "$nohv" = 1 ]; then # the status table in --help
    if grep -aq '^rombios: error:' "$log"; then
        exit 117
    elif [ "$engine" = qemu ] && [ $((rc & 1)) -eq 1 ]; then
        exit $((rc >> 1)) # isa-debug-exit: the guest wrote rc >> 1 to port F4h
    elif [ "$engine" = bochs ] && { [ $rc -eq 0 ] || grep -aq -e 'Shutdown port: shutdown requested' \
            -e 'ACPI control: soft power off' "$enginelog"; }; then
        exit 0
    fi
    echo "run.sh: $engine stopped (exit $rc) without the guest asking; see $log and $enginelog" >&2
    exit 125
fi
if [ -z "$status" ]; then
    echo "run.sh: $engine stopped (exit $rc) without a vmxlab power-off line; see $log and $enginelog" >&2
    exit 125
fi
exit "$status"
