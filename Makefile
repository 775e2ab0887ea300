# vmxlab - top-level build. `make help` lists the targets and variables.
#
# Conventions of this file:
#   - A `#:` comment right above a rule or a variable is its `make help` text
#     (tools/make-help.awk reads them); plain `#` comments are for readers.
#   - Header dependencies are generated (DEPFLAGS, nasm_obj, multi_deps below):
#     no rule lists the headers its sources include.
# The included guest makefiles define targets first: `make` still means all.
.DEFAULT_GOAL := all
#: auto|bochs|qemu|kvm: the engine of make run (auto: the best one installed)
ENGINE ?= auto
#: the Bochs CPU model (corei5_lynnfield_750: EPT without unrestricted guest)
CPU ?= corei7_sandy_bridge_2600k
#: assist|emulate|ug: the hv's mode for make run, make timeline (several: MODE="assist ug"), make fuzz-guest
MODE ?= assist
#: 1: show the commands
V ?=
# A recipe that fails (check-size, romcheck) must not leave its target behind
# as if it were built: the next make would take it as up to date.
.DELETE_ON_ERROR:
# The hv's budget of code and data (text+data of hv.elf; the font and the
# names tables included): it is meant to be read in an afternoon.
HV_SIZE_LIMIT := 81920

#: what make run boots: a test guest (tests/guests/NAME.asm), a catalogue guest
#: (tests/guests/real: linux-isolinux, debian-installer, ...; `make real` lists them),
#: a tests/guests/rm name, or a floppy, hard-disk, CD image or multiboot kernel path
GUEST ?= grub.iso
#: extra hv options (hv/options.c), e.g. ARGS="trace=1"
ARGS ?=
#: seconds before make run stops the engine
TIMEOUT ?= 600
#: the machine's RAM in MiB
MEM ?= 256
#: CPUs in the machine (the hv runs the guest on the first)
SMP ?= 1
RUN_ISO ?= build/run.iso
#: IMAGE[:fd|hd|cd]: make run boots IMAGE from RAM, no disk drive (own firmware)
RAMDISK ?=
#: 1: make run boots a copy of GUEST (the image is left as it was)
SNAPSHOT ?=
# Guest firmware: vmxloader embeds both sets and the hv option firmware=own|bochs
# picks one at run time. FIRMWARE only chooses that option for `make run` and
# the ISO menu. The own pair is rombios/ and vgabios/ of this tree (ROMBIOS and
# VGABIOS are older names for OWN_ROMBIOS and OWN_VGABIOS); the bochs pair is
# Debian's Bochs BIOS and LGPL vgabios, the reference.
#: own|bochs: the hv's firmware= for make run and the ISO menu
FIRMWARE ?= own
ifeq ($(filter own bochs,$(FIRMWARE)),)
$(error FIRMWARE=$(FIRMWARE) is unknown: use FIRMWARE=own or FIRMWARE=bochs)
endif
#: the own pair's system BIOS image (default build/rombios.bin; ROMBIOS= says the same)
OWN_ROMBIOS ?= $(if $(ROMBIOS),$(ROMBIOS),build/rombios.bin)
#: the own pair's VGA BIOS image (default build/vgabios.bin; VGABIOS= says the same)
OWN_VGABIOS ?= $(if $(VGABIOS),$(VGABIOS),build/vgabios.bin)
BOCHS_ROMBIOS := /usr/share/bochs/BIOS-bochs-legacy
BOCHS_VGABIOS := /usr/share/vgabios/vgabios.bin

B := build
Q := $(if $(V),,@)

CC := gcc
LD := ld
NASM := nasm
WARN := -Wall -Wextra -Werror
# The hv: 64-bit, freestanding, no SSE (the guest owns the FPU state), linked
# at -2 GiB (boot/hv.ld), so -mcmodel=kernel.
HV_CFLAGS := -std=gnu11 -O2 -g $(WARN) -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-red-zone -mcmodel=kernel -mgeneral-regs-only -fno-asynchronous-unwind-tables \
	-fcf-protection=none -fno-omit-frame-pointer -Iinclude -Ilib -Ihv
# 32-bit guest-side code (vmxloader, vmxassist): freestanding, no SSE.
G32_CFLAGS := -m32 -std=gnu11 -Os -g $(WARN) -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mno-sse -mno-mmx -mgeneral-regs-only -fno-asynchronous-unwind-tables -fcf-protection=none \
	-Iinclude -Ilib -Ivmxassist
# 16-bit firmware (rombios, vgabios): gcc -m16 emits 32-bit code with the
# prefixes that make it run in real mode; regparm so entry.asm can pass EAX.
FW16_CFLAGS := -m16 -march=i386 -std=gnu11 -Os -g $(WARN) -ffreestanding -fno-stack-protector -fno-pic -fno-pie \
	-mregparm=3 -mno-sse -mno-mmx -mgeneral-regs-only -fno-asynchronous-unwind-tables -fcf-protection=none \
	-fno-tree-loop-distribute-patterns -Iinclude -Ilib
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -DHOST_TEST -Iinclude -Ilib -Ihv -fsanitize=address,undefined
# Header dependencies are generated, never listed by hand: each compile writes
# its output's .d file (the headers and .inc files it read; -MP adds an empty
# rule for each, so deleting a header is no error), and the end of this file
# includes them all. Touching a header rebuilds exactly what includes it.
DEPFLAGS = -MMD -MP
# NASM objects: nasm $(1) writes the .d file in a pass of its own (-M), then
# assembles. (NASM 2.16.01's -MD leaves the %include files out of the list.)
# The lists go through a .tmp file: a failed pass leaves no half list behind.
nasm_obj = $(NASM) $(1) -w+all -M -MP -MT $@ $< > $(@:.o=.d).tmp && mv $(@:.o=.d).tmp $(@:.o=.d) && \
	$(NASM) $(1) -w+all -o $@ $<
# For a rule that compiles and links several sources in one gcc call, where
# -MMD would keep only the last source's list: a preprocessor pass (-MM) that
# writes the headers of all of them to deps/TARGET.d beside TARGET (not
# TARGET.d: build/unit/test_* are the unit tests). $(1): flags, $(2): sources.
multi_dep_file = $(dir $(1))deps/$(notdir $(1)).d
multi_deps = mkdir -p $(dir $@)deps && $(CC) $(1) -MM -MP -MT $@ $(2) > $(call multi_dep_file,$@).tmp && \
	mv $(call multi_dep_file,$@).tmp $(call multi_dep_file,$@)

HV_C := $(wildcard hv/*.c) lib/fmt.c lib/string.c lib/acpi.c lib/font.c
HV_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(HV_C)) $(B)/obj/boot/boot.o $(B)/obj/hv/entry.o
GUESTS := $(patsubst tests/guests/%.asm,$(B)/guests/%.bin,$(wildcard tests/guests/*.asm)) $(B)/guests/vmxloader.bin
# restorectxguest built once per broken VM-entry check (-DCASE_<name>): tests assist_restore_refuses_*
RESTORE_CASES := cr0_pe cr0_reserved cr0_nw_without_cd cr4_vmxe cr3_pdpt_outside_ram \
	pdpte_reserved_bits eflags_reserved eflags_vm gdtr_limit cs_unusable ar_reserved_bits \
	seg_not_present limit_with_g limit_without_g cs_rpl_differs_from_ss cs_type_data cs_system \
	cs_dpl_differs_from_ss ss_type_code ss_dpl_differs_from_rpl ds_not_accessed ds_code_not_readable \
	ds_dpl_below_rpl tr_unusable tr_type_available tr_not_system tr_ti ldtr_type eip_beyond_cs_limit
GUESTS += $(patsubst %,$(B)/guests/restorectx_%.bin,$(RESTORE_CASES))
G32_LIB := $(B)/obj32/lib/fmt.o $(B)/obj32/lib/string.o $(B)/obj32/lib/gprintf.o
X86_INC := $(B)/gen/cr.inc $(B)/gen/exception.inc # include/x86 constants for NASM (the $(B)/gen/%.inc rule)
ASSIST_OBJ := $(B)/obj32/vmxassist/entry.o $(patsubst %.c,$(B)/obj32/%.o,$(wildcard vmxassist/*.c)) $(G32_LIB)
LOADER_OBJ := $(B)/obj32/vmxloader/entry.o $(patsubst %.c,$(B)/obj32/%.o,$(wildcard vmxloader/*.c)) $(G32_LIB)
ROMBIOS_OBJ := $(B)/obj16/rombios/entry.o $(patsubst %.c,$(B)/obj16/%.o,$(wildcard rombios/*.c)) \
	$(B)/obj16/lib/fmt.o $(B)/obj16/lib/string.o
include tests/guests/rm/rm.mk
include tests/guests/fw/fw.mk
# The one-sector disk guest as a floppy, a hard disk (2 MiB: 4 cylinders of
# 16 heads x 63 sectors, which Bochs takes without a geometry) and a CD.
DISK_GUESTS := $(B)/guests/disk/hello.img $(B)/guests/disk/hello.hdd $(B)/guests/disk/hello.iso \
	$(B)/guests/disk/grub.iso $(B)/guests/disk/grub-mb.iso $(B)/guests/disk/vga-int10.img \
	$(B)/guests/disk/screen-hang.img $(B)/guests/disk/mbkernel.bin

.PHONY: all iso run test unit bench deps clean help bochs qemu-gdb gdb size print-own-vgabios real guests \
	lab grade timeline
comma := ,
#: build/vmxlab.iso (the hv, the test guests, the GRUB menu)
all: iso

#: the same: build/vmxlab.iso
iso: $(B)/vmxlab.iso

# Code that runs once, at boot, is compiled for size: the hv's text and data
# stay under 64 KiB (test hv_image_text_and_data_under_64k).
HV_BOOT_ONLY := hv/main hv/options hv/bootinfo hv/mb2 hv/caps hv/mtrr hv/ept hv/uefi lib/acpi
$(patsubst %,$(B)/obj/%.o,$(HV_BOOT_ONLY)): HV_CFLAGS += -Os
$(B)/obj/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/obj/%.o: %.asm $(B)/gen/fw.inc $(X86_INC) Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(call nasm_obj,-f elf64 -I$(B)/gen/)

$(B)/hv.elf: $(HV_OBJ) boot/hv.ld
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -z max-page-size=4096 --build-id=none -T boot/hv.ld -o $@ $(HV_OBJ)
	$(Q)objdump -d -M intel $@ > $(B)/hv.asm
	$(Q)nm -n $@ > $(B)/hv.sym
	$(Q)tools/check-size.sh $@ $(HV_SIZE_LIMIT)

$(B)/hv.bin: $(B)/hv.elf
	$(Q)objcopy -O binary $< $@

$(B)/obj32/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC32    $<"
	$(Q)$(CC) $(G32_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/obj32/vmxassist/entry.o: vmxassist/entry.asm $(X86_INC) Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(call nasm_obj,-f elf32 -I$(B)/gen/)

$(B)/vmxassist.elf: $(ASSIST_OBJ) vmxassist/vmxassist.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -nostdlib --build-id=none --no-warn-rwx-segments -T vmxassist/vmxassist.ld -o $@ $(ASSIST_OBJ)
	$(Q)objdump -d -M intel $@ > $(B)/vmxassist.asm

$(B)/vmxassist.bin: $(B)/vmxassist.elf
	$(Q)objcopy -O binary $< $@

$(B)/obj16/%.o: %.c Makefile
	@mkdir -p $(dir $@)
	@echo "  CC16    $<"
	$(Q)$(CC) $(FW16_CFLAGS) $(DEPFLAGS) -c $< -o $@

$(B)/obj16/%.o: %.asm $(B)/gen/fw.inc $(X86_INC) Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM16  $<"
	$(Q)$(call nasm_obj,-f elf32 -I. -I$(B)/gen/)

# Constants for assembly from the C headers (CR bits, exception vectors):
# each `#define NAME (Nu << B)` or `#define NAME N` of include/x86/NAME.h
# becomes `%define NAME ...` in build/gen/NAME.inc (%define, not equ, so that
# %if can test them, also in nasm -M's preprocess-only pass).
$(B)/gen/%.inc: include/x86/%.h
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)sed -n -e 's/^#define \([A-Z0-9_]*\) (\([0-9]*\)u << \([0-9]*\)).*/%define \1 (\2 << \3)/p' \
		-e 's/^#define \([A-Z0-9_]*\) \([0-9][0-9]*\)\( .*\)\{0,1\}$$/%define \1 \2/p' $< > $@

# rombios: 64 KiB at F000:0000 (rombios/rombios.ld); romcheck verifies the
# size and the fixed entry points.
$(B)/rombios.elf: $(ROMBIOS_OBJ) rombios/rombios.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -nostdlib --build-id=none --no-warn-rwx-segments -z noexecstack -T rombios/rombios.ld -o $@ $(ROMBIOS_OBJ)
	$(Q)objdump -d -M intel,addr16,data16 $@ > $(B)/rombios.asm
	$(Q)nm -n $@ > $(B)/rombios.sym

$(B)/rombios.bin: $(B)/rombios.elf tools/romcheck.py
	$(Q)objcopy -O binary $< $@
	$(Q)/usr/bin/python3 tools/romcheck.py --system-bios $@ $(B)/rombios.sym

# vgabios: the option ROM at C000:0000 (vgabios/vgabios.ld), at most 32 KiB
# with its bss and stack; romcheck pads it and writes the size and checksum.
# lib/font.c is generated by vgabios/mkfont.py (committed: see there); the hv shares it.
VGABIOS_OBJ := $(B)/obj16/vgabios/entry.o $(patsubst %.c,$(B)/obj16/%.o,$(wildcard vgabios/*.c)) \
	$(B)/obj16/lib/string.o $(B)/obj16/lib/font.o
$(B)/vgabios.elf: $(VGABIOS_OBJ) vgabios/vgabios.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -nostdlib --build-id=none --no-warn-rwx-segments -z noexecstack -T vgabios/vgabios.ld -o $@ $(VGABIOS_OBJ)
	$(Q)objdump -d -M intel,addr16,data16 $@ > $(B)/vgabios.asm
	$(Q)nm -n $@ > $(B)/vgabios.sym

$(B)/vgabios.bin: $(B)/vgabios.elf tools/romcheck.py
	$(Q)objcopy -O binary $< $@
	$(Q)/usr/bin/python3 tools/romcheck.py --option-rom $@ --max 32768
# A floppy that checks INT 10h from a guest (PASS/FAIL lines through the mirror):
# make build/guests/disk/vga-int10.img, then GUEST=vga-int10.img.
$(B)/guests/disk/vga-int10.img: vgabios/test/int10.asm $(B)/gen/fw.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -I$(B)/gen/ -o $@ $< && truncate -s 1474560 $@

# vmxloader embeds its payloads (incbin): both firmware sets and vmxassist.
# The stamp rebuilds it when OWN_ROMBIOS or OWN_VGABIOS name other files.
FW_STAMP := $(B)/firmware-$(shell echo '$(OWN_ROMBIOS) $(OWN_VGABIOS)' | md5sum | cut -c1-8).stamp
$(FW_STAMP):
	@mkdir -p $(dir $@) && rm -f $(B)/firmware-*.stamp && touch $@
$(B)/obj32/vmxloader/entry.o: vmxloader/entry.asm $(B)/vmxassist.bin $(OWN_ROMBIOS) $(OWN_VGABIOS) \
		$(BOCHS_ROMBIOS) $(BOCHS_VGABIOS) $(FW_STAMP) $(X86_INC) Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(call nasm_obj,-f elf32 -I$(B)/gen/ -DOWN_ROMBIOS='"$(OWN_ROMBIOS)"' -DOWN_VGABIOS='"$(OWN_VGABIOS)"' \
		-DBOCHS_ROMBIOS='"$(BOCHS_ROMBIOS)"' -DBOCHS_VGABIOS='"$(BOCHS_VGABIOS)"' -DASSIST='"$(B)/vmxassist.bin"')

$(B)/vmxloader.elf: $(LOADER_OBJ) vmxloader/vmxloader.ld
	@echo "  LD      $@"
	$(Q)$(LD) -m elf_i386 -nostdlib --build-id=none --no-warn-rwx-segments -T vmxloader/vmxloader.ld -o $@ $(LOADER_OBJ)

$(B)/guests/vmxloader.bin: $(B)/vmxloader.elf tools/seal-loader.py
	@mkdir -p $(dir $@)
	$(Q)objcopy -O binary $< $@
	$(Q)/usr/bin/python3 tools/seal-loader.py $@

# The PC constants the assembly uses (BDA, drive classes, PIC, COM1), from the C headers (tools/fw-inc.c).
$(B)/gen/fw.inc: tools/fw-inc.c include/bios/bda.h include/bios/int13.h include/x86/ioport.h include/x86/pic.h
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) -std=gnu11 $(WARN) -Iinclude -o $(B)/gen/fw-inc tools/fw-inc.c
	$(Q)$(B)/gen/fw-inc > $@

# The handoff block's offsets for the test guests, from the C header (tools/handoff-inc.c).
$(B)/gen/handoff.inc: tools/handoff-inc.c
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) -std=gnu11 $(WARN) -Iinclude -MMD -MP -MT $@ -MF $@.d -o $(B)/gen/handoff-inc tools/handoff-inc.c
	$(Q)$(B)/gen/handoff-inc > $@

$(B)/guests/%.bin: tests/guests/%.asm tests/guests/guest32.inc include/vmxlab/vmcall.h $(B)/gen/handoff.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -Itests/guests/ -I$(B)/gen/ -o $@ $<

$(B)/guests/restorectx_%.bin: tests/guests/restorectxguest.asm tests/guests/guest32.inc $(B)/gen/handoff.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $@"
	$(Q)$(NASM) -f bin -w+all -Itests/guests/ -I$(B)/gen/ -DCASE_$* -o $@ $<

$(B)/guests/disk/hello.bin: tests/guests/disk/hello.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -o $@ $<
# A floppy that writes only to the screen and spins (run.sh --screen-at-timeout's test).
$(B)/guests/disk/screen-hang.img: tests/guests/disk/screen-hang.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -o $@ $< && truncate -s 1474560 $@
$(B)/guests/disk/hello.img: $(B)/guests/disk/hello.bin
	$(Q)cp $< $@ && truncate -s 1474560 $@
$(B)/guests/disk/hello.hdd: $(B)/guests/disk/hello.bin
	$(Q)cp $< $@ && truncate -s 2064384 $@
$(B)/guests/disk/hello.iso: $(B)/guests/disk/hello.bin
	$(Q)rm -rf $@.d && mkdir -p $@.d && cp $< $@.d/boot.bin && truncate -s 2048 $@.d/boot.bin
	$(Q)xorriso -as mkisofs -quiet -o $@ -b boot.bin -no-emul-boot -boot-load-size 4 $@.d && rm -rf $@.d

# The GRUB guests (tests/guests/grub): grub.iso reads and echoes a file from
# its CD, then powers off; grub-mb.iso loads a tiny multiboot kernel.
GRUB_PARTMODS := part_acorn part_amiga part_apple part_bsd part_dfly part_dvh part_gpt part_msdos part_plan \
	part_sun part_sunpc
# The guests' GRUB is i386-pc alone (the guest BIOS boots it), also when
# grub-efi-amd64-bin is installed: grub-mkrescue would add x86_64-efi.
GRUB_PC_DIR ?= /usr/lib/grub/i386-pc
GRUB_GUEST_MODULES := multiboot normal serial terminal iso9660 biosdisk cat echo iorw $(GRUB_PARTMODS)
$(B)/guests/disk/grub.iso: tests/guests/grub/grub.cfg tests/guests/grub/message.txt
	@mkdir -p $@.d/boot/grub
	@echo "  ISO     $@"
	$(Q)cp tests/guests/grub/grub.cfg $@.d/boot/grub/grub.cfg
	$(Q)cp tests/guests/grub/message.txt $@.d/boot/message.txt
	$(Q)grub-mkrescue -d $(GRUB_PC_DIR) -o $@ --compress=no --install-modules="$(GRUB_GUEST_MODULES)" \
		--fonts= --locales= --themes= $@.d >/dev/null 2>&1 || { echo "grub-mkrescue failed for $@" >&2; exit 1; }
	$(Q)rm -rf $@.d
$(B)/guests/disk/grub-mb.iso: tests/guests/grub/kernel.asm tests/guests/grub/grub-mb.cfg
	@mkdir -p $@.d/boot/grub
	@echo "  ISO     $@"
	$(Q)$(NASM) -f bin -w+all -o $@.d/boot/kernel.bin tests/guests/grub/kernel.asm
	$(Q)cp tests/guests/grub/grub-mb.cfg $@.d/boot/grub/grub.cfg
	$(Q)grub-mkrescue -d $(GRUB_PC_DIR) -o $@ --compress=no --install-modules="$(GRUB_GUEST_MODULES)" \
		--fonts= --locales= --themes= $@.d >/dev/null 2>&1 || { echo "grub-mkrescue failed for $@" >&2; exit 1; }
	$(Q)rm -rf $@.d

# The same kernel as a file of its own: `make run GUEST=build/guests/disk/mbkernel.bin`
# puts it on a GRUB CD (tools/mkmbcd.sh), the route for any multiboot kernel.
$(B)/guests/disk/mbkernel.bin: tests/guests/grub/kernel.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -o $@ $<

# The real-guest catalogue (tests/guests/real/catalogue.py): boot CDs built
# from Debian packages, on demand (`make real`, `make run GUEST=<name>`, the
# tests that boot them), never by `make`. The .deb files stay in DEB_CACHE
# (default ~/.cache/vmxlab/debs, which `make clean` keeps): the second build
# is offline.
CATALOGUE := tests/guests/real/catalogue.py
#: the catalogue's .deb cache (default ~/.cache/vmxlab/debs)
DEB_CACHE ?=
REAL_NAMES := $(shell /usr/bin/python3 $(CATALOGUE) list)
REAL_IMAGES := $(shell /usr/bin/python3 $(CATALOGUE) images --out $(B)/real)
#: the real-guest catalogue images (build/real/*.iso, .img, .hdd) from Debian packages
real: $(REAL_IMAGES)
$(B)/real/memdisk.iso: $(B)/guests/rm/rm_bios.img
$(B)/real/%.iso $(B)/real/%.img $(B)/real/%.hdd: $(CATALOGUE) tests/guests/real/init.sh
	$(Q)$(CATALOGUE) build $* --out $(B)/real $(if $(DEB_CACHE),--cache $(DEB_CACHE)) \
		--rm-bios $(B)/guests/rm/rm_bios.img

# The menu's firmware= follows FIRMWARE (the stamp rebuilds the ISO when it changes).
$(B)/menu-firmware-$(FIRMWARE).stamp:
	@mkdir -p $(dir $@) && rm -f $(B)/menu-firmware-*.stamp && touch $@
# What an ISO holds; `make run` builds these and its own ISO, never vmxlab.iso
# (parallel runs with another FIRMWARE would rebuild it under each other).
ISO_PARTS := $(B)/hv.bin $(GUESTS) $(RM_GUESTS) $(FW_GUESTS) $(DISK_GUESTS)
.PHONY: iso-parts
iso-parts: $(ISO_PARTS)
$(B)/vmxlab.iso: $(ISO_PARTS) iso/grub.cfg tools/mkiso.sh tools/mkefi.sh \
		$(B)/menu-firmware-$(FIRMWARE).stamp
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh --out $@ $(if $(filter bochs,$(FIRMWARE)),--args firmware=bochs)

#: the hv's section sizes
size: $(B)/hv.elf
	size $<

#: install the Debian packages the build and the engines need
deps:
	@tools/deps.sh

# GUEST is a 32-bit test guest (build/guests/NAME.bin, the hv's module), a
# catalogue guest (REAL_NAMES: built first; its own MEM and NIC unless MEM is
# given), or a disk image: a name from tests/guests/rm (build/guests/rm/NAME.img) or any
# floppy, hard-disk or CD image path, or a multiboot kernel (x86 ELF or
# a.out kludge, e.g. kvm-unit-tests' x86/*.flat), which tools/mkmbcd.sh puts
# on a GRUB CD (RUN_ISO's -mbcd.iso). Disk images boot through vmxloader and
# the guest BIOS, from the engine's floppy/disk/CD drive. RAMDISK=IMAGE[:KIND]
# boots IMAGE from RAM instead (the ISO's ramdisk-MODE entry; GUEST is unused).
# The image is looked up by the recipe's shell, after iso-parts has built it: a
# $(wildcard) here would be expanded before the first command runs, which on a
# fresh clone is before build/guests/ exists.
GUEST_IMG = $$(for f in $(B)/guests/rm/$(GUEST).img $(B)/guests/disk/$(GUEST); do \
	[ -f "$$f" ] && { echo "$$f"; exit; }; done; echo "$(GUEST)")
RUN_ARGS = firmware=$(FIRMWARE) $(ARGS)
RUN_ENGINE = tools/run.sh --engine $(ENGINE) --cpu $(CPU) --mem $(MEM) --smp $(SMP) --timeout $(TIMEOUT)
# A catalogue guest's --mem and --nic (catalogue.py runopts), then MEM when it was given.
RUN_REAL = tools/run.sh --engine $(ENGINE) --cpu $(CPU) --timeout $(TIMEOUT) \
	$$($(CATALOGUE) runopts $(GUEST)) $(if $(filter-out file,$(origin MEM)),--mem $(MEM))
#: install missing packages, build, boot GUEST in the best engine
run: deps
	$(Q)$(MAKE) --no-print-directory iso-parts
	$(Q)if [ -n "$(RAMDISK)" ]; then \
		tools/mkiso.sh --out $(RUN_ISO) --mode ramdisk-$(MODE) --ramdisk "$(RAMDISK)" --args "$(RUN_ARGS)" && \
		$(RUN_ENGINE) $(RUN_ISO); \
	elif [ -f $(B)/guests/$(GUEST).bin ]; then \
		tools/mkiso.sh --out $(RUN_ISO) --mode $(MODE) --guest $(GUEST) --args "$(RUN_ARGS)" && \
		$(RUN_ENGINE) $(RUN_ISO); \
	elif [ -n "$(filter $(GUEST),$(REAL_NAMES))" ]; then \
		img=$$($(CATALOGUE) image $(GUEST) --out $(B)/real) && \
		$(MAKE) --no-print-directory "$$img" && kind=$$(tools/guest-kind.sh "$$img") && \
		tools/mkiso.sh --out $(RUN_ISO) --mode $(MODE) --guest vmxloader --args "boot=$$kind $(RUN_ARGS)" && \
		$(RUN_REAL) $(if $(SNAPSHOT),--snapshot) --disk "$$img" $(RUN_ISO); \
	else \
		img=$(GUEST_IMG); \
		if tools/mkmbcd.sh --check "$$img" 2>/dev/null; then \
			tools/mkmbcd.sh --out $(RUN_ISO:.iso=-mbcd.iso) "$$img" || exit 2; img=$(RUN_ISO:.iso=-mbcd.iso); \
		fi; \
		kind=$$(tools/guest-kind.sh "$$img") || exit 2; \
		tools/mkiso.sh --out $(RUN_ISO) --mode $(MODE) --guest vmxloader --args "boot=$$kind $(RUN_ARGS)" && \
		$(RUN_ENGINE) $(if $(SNAPSHOT),--snapshot) --disk "$$img" $(RUN_ISO); \
	fi

# QEMU waiting for gdb on :1234 (use `make gdb` in another terminal). With
# KVM and nested VMX the whole hv can be stepped; under TCG up to its
# "no VT-x" check.
#: QEMU waiting for gdb on :1234 (then make gdb in another terminal)
qemu-gdb: deps iso
	$(Q)qemu-system-x86_64 $(if $(filter kvm,$(ENGINE)),-enable-kvm -cpu host$(comma)+vmx,-cpu qemu64$(comma)vendor=GenuineIntel) \
		-m $(MEM) -display none -serial stdio -no-reboot -device isa-debug-exit,iobase=0xf4,iosize=0x04 \
		-cdrom $(B)/vmxlab.iso -s -S

#: gdb on build/hv.elf, attached to make qemu-gdb
gdb:
	gdb -q $(B)/hv.elf -ex "target remote localhost:1234"

# Interactive Bochs with its debugger on the terminal (not headless).
#: interactive Bochs with its debugger on the terminal
bochs: deps iso
	$(Q)tools/run.sh --engine bochs --cpu $(CPU) --interactive $(B)/vmxlab.iso

#: the whole test suite; ends with "N passed, N failed"
test: deps
	$(Q)$(MAKE) --no-print-directory iso unit-bins diff-lib
	$(Q)/usr/bin/python3 tests/run_tests.py $(if $(T),--filter $(T)) $(if $(SLOW),--slow)
#: make test: run only the tests whose name or groups contain this word
T ?=
#: 1: make test also runs the slow variants
SLOW ?=

# The emulator (vmxassist/emu*.c): vmxassist links it, the unit test, the
# Unicorn differential test and the throughput benchmark build it for the host.
EMU_SRC := $(wildcard vmxassist/emu*.c)
UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_SRC_bootinfo := hv/bootinfo.c lib/fmt.c
UNIT_SRC_mb2 := hv/mb2.c hv/bootinfo.c lib/fmt.c
UNIT_SRC_fbrender := hv/fbrender.c lib/font.c
UNIT_SRC_options := hv/options.c lib/fmt.c
UNIT_SRC_caps := hv/caps.c lib/fmt.c
UNIT_SRC_mtrr := hv/mtrr.c
UNIT_SRC_ept := hv/ept.c hv/mtrr.c
UNIT_SRC_fmt := lib/fmt.c
UNIT_SRC_names := hv/names.c
UNIT_SRC_emu := $(EMU_SRC)
UNIT_SRC_emu_run := $(EMU_SRC)
UNIT_SRC_vgabios := vgabios/mirror.c vgabios/screen.c
UNIT_SRC_bios := rombios/clock.c rombios/cmos.c rombios/kbdmap.c rombios/e820.c
UNIT_SRC_disk := rombios/diskgeom.c
UNIT_SRC_acpi := rombios/acpi_tables.c lib/acpi.c
UNIT_SRC_smbios := rombios/smbios_tables.c
.PHONY: unit-bins
#: build the host unit tests (build/unit/test_*)
unit-bins: $(UNIT_TESTS)
.SECONDEXPANSION:
$(B)/unit/test_%: tests/unit/test_%.c $$(UNIT_SRC_$$*) Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(call multi_deps,$(HOST_CFLAGS),$< $(UNIT_SRC_$*))
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_SRC_$*)

# tools/fbhash: the framebuffer test's check of the hv's screen hash (hv/fb.c).
FBHASH_SRC := tools/fbhash.c hv/fbrender.c lib/font.c
$(B)/fbhash: $(FBHASH_SRC) Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(call multi_deps,-std=gnu11 -iquote lib -iquote hv,$(FBHASH_SRC))
	$(Q)$(CC) -std=gnu11 -O1 -g $(WARN) -iquote lib -iquote hv -o $@ $(FBHASH_SRC)
unit-bins: $(B)/fbhash

#: the host unit tests and the Unicorn sample
unit: unit-bins
	$(Q)/usr/bin/python3 tests/run_tests.py --unit-only

# The differential test of vmxassist/emu.c against Unicorn (tests/diff/emu_diff.py,
# Debian's python3-unicorn): `make diff` runs the fixed-seed sample (100000 cases, ~30 s),
# `make fuzz SEED=n COUNT=n` a campaign of COUNT cases from SEED (default: a new seed).
DIFF_LIB := $(B)/diff/libemu.so
#: make fuzz, make fuzz-guest: the campaign's first seed (default: the time)
SEED ?= $(shell date +%s)
#: make fuzz, make fuzz-guest: the campaign's cases (per class for fuzz-guest)
COUNT ?= 1000000
.PHONY: diff diff-lib fuzz
#: build the emulator for the host (build/diff/libemu.so)
diff-lib: $(DIFF_LIB)
$(DIFF_LIB): tests/diff/shim.c $(EMU_SRC) Makefile
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(call multi_deps,-std=gnu11 -Iinclude -Ivmxassist,tests/diff/shim.c $(EMU_SRC))
	$(Q)$(CC) -std=gnu11 -O2 -g $(WARN) -fPIC -shared -Iinclude -Ivmxassist -o $@ tests/diff/shim.c $(EMU_SRC)
#: the emulator against Unicorn, the fixed-seed sample (100000 cases)
diff: $(DIFF_LIB)
	$(Q)/usr/bin/python3 tests/diff/emu_diff.py
#: the emulator against Unicorn: COUNT cases from SEED
fuzz: $(DIFF_LIB)
	$(Q)/usr/bin/python3 tests/diff/emu_diff.py --seed $(SEED) --count $(COUNT) --progress 100000

# Guest-side fuzzing of the hv (tests/guests/fuzzguest.asm): `make fuzz-guest SEED=n
# COUNT=n` boots fuzzguest with COUNT cases per class from SEED (defaults: a new seed,
# 1000000) in MODE on CPU; make test runs the fixed-seed 100000 (test guest_fuzzing_*).
# 13 s per 100000 cases per class in Bochs on an idle machine, 30 s on a loaded one; the timeout grows with COUNT.
FUZZ_DIR := $(B)/fuzz
.PHONY: fuzz-guest
#: guest-side fuzzing of the hv: COUNT cases per class from SEED, in MODE on CPU
fuzz-guest: deps
	$(Q)$(MAKE) --no-print-directory iso-parts
	@mkdir -p $(FUZZ_DIR)
	$(Q)$(NASM) -f bin -w+all -Itests/guests/ -I$(B)/gen/ -DFUZZ_SEED=$(SEED) -DFUZZ_COUNT=$(COUNT) \
		-o $(FUZZ_DIR)/fuzzguest.bin tests/guests/fuzzguest.asm
	$(Q)tools/mkiso.sh --out $(FUZZ_DIR)/fuzzguest.iso --mode $(MODE) --guest $(FUZZ_DIR)/fuzzguest.bin \
		--args "$(ARGS)"
	$(Q)tools/run.sh --engine $(ENGINE) --cpu $(CPU) --mem $(MEM) --timeout $$(( $(COUNT) / 1000 + 300 )) \
		--log $(FUZZ_DIR)/fuzzguest.serial $(FUZZ_DIR)/fuzzguest.iso

# The tested-guest table (docs/guests.md): every catalogue test (group real) in every
# mode and firmware, slow variants too, and the plain-Bochs reference. Figures,
# never a test: it exits 0 when guests fail and marks them.
#: boot the catalogue in every mode and firmware; prints the tested-guest table
guests: deps
	$(Q)$(MAKE) --no-print-directory iso-parts real
	$(Q)/usr/bin/python3 tests/run_tests.py --table --filter real $(if $(REUSE),--reuse)
#: 1: make guests takes each boot's result from its last run where there is one
REUSE ?=

#: figures (never fails)
bench: deps iso
	$(Q)/usr/bin/python3 tests/bench.py

# The course lab (labs/README.md). `make lab LAB=N` writes the student tree
# (default build/lab/labN: the regions of lab N and later labs replaced by
# stubs, tools/lab.py); `make grade` runs the lab's tests (the tests.ini
# group labN; in a student tree LAB defaults to its own lab).
#: make lab, make grade: the lab's number (1-5; in a student tree, its own)
LAB ?= $(shell /usr/bin/python3 tools/lab.py current 2>/dev/null)
#: make lab: where the student tree goes (default build/lab/labLAB)
LABDIR ?= $(B)/lab/lab$(LAB)
#: the course lab's student tree for lab LAB (labs/README.md)
lab:
	$(Q)test -n "$(LAB)" || { echo "make lab needs LAB=N (1-5; labs/README.md)" >&2; exit 2; }
	$(Q)/usr/bin/python3 tools/lab.py make $(LAB) $(LABDIR)
#: lab LAB's graded tests, one line each, then Score: X/Y
grade: deps
	$(Q)test -n "$(LAB)" || { echo "make grade needs LAB=N (1-5), or run it in a student tree (make lab)" >&2; exit 2; }
	$(Q)$(MAKE) --no-print-directory iso unit-bins
	$(Q)/usr/bin/python3 tests/run_tests.py --grade $(LAB)

# The timeline of one guest's boot in each MODE (one panel each, stacked):
# boots with trace=2 (every switch and every exit, with the tick), then
# tools/timeline.py draws TIMELINE_OUT (default build/timeline-GUEST.svg).
#: make timeline: the picture's file (default build/timeline-GUEST.svg)
TIMELINE_OUT ?= $(B)/timeline-$(notdir $(basename $(GUEST))).svg
TL_TAG = tl-$(notdir $(basename $(TIMELINE_OUT)))
#: boot GUEST with trace=2 in each MODE, draw TIMELINE_OUT
timeline: deps
	$(Q)$(MAKE) --no-print-directory iso-parts
	$(Q)set -e; logs=; for m in $(MODE); do \
		$(MAKE) --no-print-directory run MODE=$$m ARGS="trace=2 $(ARGS)" SNAPSHOT=1 \
			RUN_ISO=$(B)/$(TL_TAG)-$$m.iso TIMEOUT=$(TIMEOUT) >/dev/null; \
		logs="$$logs $(B)/run/$(TL_TAG)-$$m.serial=$(notdir $(GUEST))-$$m"; \
	done; /usr/bin/python3 tools/timeline.py --out $(TIMELINE_OUT) $$logs

# The C sources' format: .clang-format (clang-format 14, Debian's), lines of
# at most 120 columns. `make format` rewrites the files in place.
FORMAT_FILES = $$(git ls-files '*.c' '*.h')
#: check that every C file is as clang-format and .clang-format would write it (make test runs it)
format-check:
	$(Q)clang-format --dry-run --Werror $(FORMAT_FILES)
	$(Q)awk 'length > 120 { print FILENAME ":" FNR ": " length " columns (at most 120)"; bad = 1 } END { exit bad }' $(FORMAT_FILES)
	@echo "format-check: every C file is formatted, no line over 120 columns"
#: rewrite the C files as clang-format and .clang-format want them
format:
	$(Q)clang-format -i $(FORMAT_FILES)
.PHONY: format-check format

#: remove build/ (the .deb cache stays)
clean:
	rm -rf $(B)

# For tests/run_tests.py (plain-Bochs tests use the own vgabios as their VGA ROM).
print-own-vgabios:
	@echo $(OWN_VGABIOS)

#: this list (the #: comments above the rules and variables)
help:
	@awk -f tools/make-help.awk $(filter-out %.d,$(MAKEFILE_LIST))

# The generated header dependencies (DEPFLAGS above); missing ones (a clean
# tree) are no error: what has no .d file has no object yet either.
-include $(patsubst %.o,%.d,$(HV_OBJ) $(ASSIST_OBJ) $(LOADER_OBJ) $(ROMBIOS_OBJ) $(VGABIOS_OBJ)) \
	$(foreach t,$(UNIT_TESTS) $(B)/fbhash $(DIFF_LIB),$(call multi_dep_file,$(t))) $(B)/gen/handoff.inc.d
