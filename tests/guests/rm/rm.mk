# rm.mk - the real-mode boot-sector test guests (tests/guests/rm/*.asm).
# Each source assembles with `nasm -f bin` into a raw 1.44 MB floppy image
# build/guests/rm/<name>.img that a BIOS boots from A: (see rm.inc).
# Included by the top Makefile (which sets B); also works on its own:
#     make -f tests/guests/rm/rm.mk B=build build/guests/rm/rm_bios.img
# Defines no ordinary target, so including it never changes the default goal.

B ?= build
NASM ?= nasm
RM_GUESTS := $(patsubst tests/guests/rm/%.asm,$(B)/guests/rm/%.img,$(wildcard tests/guests/rm/*.asm))

$(B)/guests/rm/%.img: tests/guests/rm/%.asm tests/guests/rm/rm.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -Itests/guests/rm/ -o $@ $<
$(B)/guests/rm/rm_emulated_fault.img: tests/guests/rm/rm_exceptions.asm
