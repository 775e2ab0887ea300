# fw.mk - the firmware test guests (tests/guests/fw): boot sectors that check
# BIOS services (E820, INT 12h/E801, INT 13h extended reads, INT 16h, INT 1Ah,
# INT 15h 87h) against the hv's handoff block, the CMOS and known disk images.
# Included by the top Makefile after rm.mk (the floppy guests use
# tests/guests/rm/rm.inc; handoff.inc is generated from the C header); also
# works on its own:
#     make -f tests/guests/fw/fw.mk B=build build/guests/fw/fw_e820.img
#
# Floppy guests (fw_*.asm with rm.inc): build/guests/fw/<name>.img.
# The INT 13h reader (int13.asm) goes into pattern images made by
# tools/mkpattern.py: a hard disk (int13.hdd), an El Torito CD (int13.iso).

B ?= build
NASM ?= nasm
CC ?= gcc
FW_DIR := tests/guests/fw
FW_FLOPPY := $(patsubst $(FW_DIR)/%.asm,$(B)/guests/fw/%.img,$(wildcard $(FW_DIR)/fw_*.asm))
FW_GUESTS := $(FW_FLOPPY) $(B)/guests/fw/int13.hdd $(B)/guests/fw/int13.iso

# Offsets of the handoff block, generated from the C struct.
$(B)/guests/fw/handoff.inc: $(FW_DIR)/handoff_inc.c include/vmxlab/handoff.h
	@mkdir -p $(dir $@)
	@echo "  GEN     $@"
	$(Q)$(CC) -std=gnu11 -Wall -Wextra -Werror -Iinclude -o $(B)/guests/fw/handoff_inc $< && \
		$(B)/guests/fw/handoff_inc > $@.tmp && mv $@.tmp $@

$(B)/guests/fw/%.img: $(FW_DIR)/%.asm $(FW_DIR)/failv.inc tests/guests/rm/rm.inc $(B)/guests/fw/handoff.inc
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -Itests/guests/rm/ -I$(FW_DIR)/ -I$(B)/guests/fw/ -o $@ $<

# The INT 13h guest, and the images that carry it and the pattern.
$(B)/guests/fw/int13.bin: $(FW_DIR)/int13.asm
	@mkdir -p $(dir $@)
	@echo "  NASM    $<"
	$(Q)$(NASM) -f bin -w+all -o $@ $<
$(B)/guests/fw/int13.hdd: $(B)/guests/fw/int13.bin tools/mkpattern.py
	@echo "  PATTERN $@"
	$(Q)/usr/bin/python3 tools/mkpattern.py hdd $< $@
$(B)/guests/fw/int13.iso: $(B)/guests/fw/int13.bin tools/mkpattern.py
	@echo "  PATTERN $@"
	$(Q)/usr/bin/python3 tools/mkpattern.py iso $< $@
$(B)/guests/fw/fw_reset_kbc.img $(B)/guests/fw/fw_reset_cf9.img $(B)/guests/fw/fw_reset_triple.img: $(FW_DIR)/fw_reset.inc
