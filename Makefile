# vmxlab - top-level build. `make help` lists the targets.
#
#   make            build/vmxlab.iso (hv, test guests, GRUB menu)
#   make run        install missing packages, build, boot in the best engine
#   make test       the whole test suite; ends with "N passed, N failed"
#
# Variables: ENGINE=auto|bochs|qemu|kvm  CPU=<bochs cpu model>  MODE=assist|emulate|ug
#            GUEST=<name in tests/guests or path>  ARGS="<extra hv options>"  V=1 (show commands)

ENGINE ?= auto
CPU ?= corei7_sandy_bridge_2600k
MODE ?= assist
GUEST ?= testguest
ARGS ?=
TIMEOUT ?= 600
RUN_ISO ?= build/run.iso

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
HOST_CFLAGS := -std=gnu11 -O1 -g $(WARN) -DHOST_TEST -Iinclude -Ilib -Ihv -fsanitize=address,undefined

HV_C := $(wildcard hv/*.c) lib/fmt.c lib/string.c
HV_OBJ := $(patsubst %.c,$(B)/obj/%.o,$(HV_C)) $(B)/obj/boot/boot.o $(B)/obj/hv/entry.o
GUESTS := $(patsubst tests/guests/%.asm,$(B)/guests/%.bin,$(wildcard tests/guests/*.asm))

.PHONY: all iso run test unit bench deps clean help bochs qemu-gdb size
all: iso

iso: $(B)/vmxlab.iso

$(B)/obj/%.o: %.c $(wildcard include/*/*.h include/*.h lib/*.h hv/*.h) Makefile
	@mkdir -p $(dir $@)
	@echo "  CC      $<"
	$(Q)$(CC) $(HV_CFLAGS) -c $< -o $@

$(B)/obj/%.o: %.asm Makefile
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f elf64 -w+all -o $@ $<

$(B)/hv.elf: $(HV_OBJ) boot/hv.ld
	@echo "  LD      $@"
	$(Q)$(LD) -nostdlib -z max-page-size=4096 --build-id=none -T boot/hv.ld -o $@ $(HV_OBJ)
	$(Q)objdump -d -M intel $@ > $(B)/hv.asm
	$(Q)nm -n $@ > $(B)/hv.sym
	$(Q)tools/check-size.sh $@ 65536

$(B)/hv.bin: $(B)/hv.elf
	$(Q)objcopy -O binary $< $@

$(B)/guests/%.bin: tests/guests/%.asm tests/guests/guest32.inc include/vmxlab/vmcall.h
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -Itests/guests/ -o $@ $<

$(B)/vmxlab.iso: $(B)/hv.bin $(GUESTS) iso/grub.cfg tools/mkiso.sh
	@echo "  ISO     $@"
	$(Q)tools/mkiso.sh --out $@

size: $(B)/hv.elf
	size $<

deps:
	@tools/deps.sh

run: deps
	$(Q)$(MAKE) --no-print-directory iso
	$(Q)tools/mkiso.sh --out $(RUN_ISO) --mode $(MODE) --guest $(GUEST) --args "$(ARGS)"
	$(Q)tools/run.sh --engine $(ENGINE) --cpu $(CPU) --timeout $(TIMEOUT) $(RUN_ISO)

# Interactive Bochs with its debugger on the terminal (not headless).
bochs: deps iso
	$(Q)tools/run.sh --engine bochs --cpu $(CPU) --interactive $(B)/vmxlab.iso

test: deps
	$(Q)$(MAKE) --no-print-directory iso unit-bins
	$(Q)/usr/bin/python3 tests/run_tests.py $(if $(T),--filter $(T))

UNIT_TESTS := $(patsubst tests/unit/%.c,$(B)/unit/%,$(wildcard tests/unit/test_*.c))
UNIT_SRC_bootinfo := hv/bootinfo.c lib/fmt.c
UNIT_SRC_options := hv/options.c lib/fmt.c
UNIT_SRC_caps := hv/caps.c lib/fmt.c
UNIT_SRC_mtrr := hv/mtrr.c
UNIT_SRC_ept := hv/ept.c hv/mtrr.c
UNIT_SRC_fmt := lib/fmt.c
UNIT_SRC_names := hv/names.c
.PHONY: unit-bins
unit-bins: $(UNIT_TESTS)
.SECONDEXPANSION:
$(B)/unit/test_%: tests/unit/test_%.c tests/unit/check.h $$(UNIT_SRC_$$*) $(wildcard include/*/*.h lib/*.h hv/*.h)
	@mkdir -p $(dir $@)
	@echo "  HOSTCC  $@"
	$(Q)$(CC) $(HOST_CFLAGS) -o $@ $< $(UNIT_SRC_$*)

unit: unit-bins
	$(Q)/usr/bin/python3 tests/run_tests.py --unit-only

bench: deps iso
	$(Q)/usr/bin/python3 tests/bench.py

clean:
	rm -rf $(B)

help:
	@sed -n '2,10p' Makefile | sed 's/^# \{0,1\}//'
