/* disk.c - INT 13h: the drive table, BIOS drive numbers, the transfer loop
 * every function shares, and one handler per function (disk_13xx, named
 * after AH). Floppies (and floppy images) are 00h.., hard disks 80h..,
 * CD-ROMs E0h.. (no-emulation El Torito, 2048-byte sectors). */
#include "disk.h"

u8 disk_buf[2048];

#define MAX_DRIVES 10
static struct drive drives[MAX_DRIVES];
static u8 n_drives;
/* Per class (floppy, hard disk, CD-ROM): the drives in BIOS number order. */
static struct drive *class_list[3][4];
u8 class_n[3]; /* drives per class; hot.inc reads it too */
static const u8 class_base[3] = { DRIVE_FLOPPY_FIRST, DRIVE_HD_FIRST, DRIVE_CD_FIRST };

struct drive *drive_new(u8 kind, int first)
{
    u8 c = (u8)(kind - VMXLAB_BOOT_FLOPPY);
    if (n_drives == MAX_DRIVES || class_n[c] == 4)
        return 0;
    struct drive *d = &drives[n_drives++];
    if (first) {
        for (u8 i = class_n[c]; i > 0; i--)
            class_list[c][i] = class_list[c][i - 1];
        class_list[c][0] = d;
    } else {
        class_list[c][class_n[c]] = d;
    }
    class_n[c]++;
    return d;
}

/* Take a drive out of its class: the ones after it move down a number. */
void drive_remove(struct drive *d)
{
    for (int c = 0; c < 3; c++)
        for (u8 i = 0; i < class_n[c]; i++)
            if (class_list[c][i] == d) {
                for (class_n[c]--; i < class_n[c]; i++)
                    class_list[c][i] = class_list[c][i + 1];
                return;
            }
}

/* 0, 1, 2 for a floppy, hard disk, CD-ROM number. */
static int class_of(u8 dl) { return dl < DRIVE_HD_FIRST ? 0 : dl < DRIVE_CD_FIRST ? 1 : 2; }

static struct drive *drive_get(u8 dl)
{
    int c = class_of(dl);
    u8 i = (u8)(dl - class_base[c]);
    return i < class_n[c] ? class_list[c][i] : 0;
}

u8 drive_number(const struct drive *d)
{
    for (int c = 0; c < 3; c++)
        for (u8 i = 0; i < class_n[c]; i++)
            if (class_list[c][i] == d)
                return (u8)(class_base[c] + i);
    return 0xff;
}

int disk_wait(u16 port, u8 mask, u8 want, volatile u8 *flag, u16 ticks)
{
    u32 start = peekl(BDA_SEG, BDA_TICKS);
    /* A wait for an interrupt (flag) halts until the next one, the device's
     * or the timer's, once IRQ 0 has shown that it comes (an unmasked PIC
     * line is not enough: a masked local APIC LINT0 keeps it from the CPU).
     * Otherwise we poll, letting interrupts in between; the iteration bound
     * ends the wait when no timer runs (a stuck PIT must not hang the BIOS). */
    int can_halt = flag && timer_ticking && !(inb(PIC1_DATA) & 1);
    for (u32 n = 0; n < 0x200000; n++) {
        if (flag ? *flag != 0 : (inb(port) & mask) == want)
            return 0;
        if (can_halt)
            sti_hlt();
        else
            irq_window();
        if (peekl(BDA_SEG, BDA_TICKS) - start > ticks)
            break;
    }
    return -1;
}

/* ---- transfers ---- */

/* A floppy image inside a CD (El Torito floppy emulation): 512-byte sector
 * n is a quarter of CD sector base + n / 4. Whole CD sectors go straight to
 * the caller; single ones through disk_buf. */
static u8 emul_read(struct drive *d, u32 lba, u16 *count, u16 seg, u16 off)
{
    u16 one = 1;
    if ((lba & 3) == 0 && *count >= 4) {
        u16 n = (u16)(*count / 4 > 16 ? 16 : *count / 4);
        u8 st = drive_io(d->cd, IO_READ, d->base + lba / 4, &n, seg, off);
        *count = (u16)(n * 4);
        return st;
    }
    *count = 1;
    u8 st = drive_io(d->cd, IO_READ, d->base + lba / 4, &one, my_seg(), (u16)(u32)disk_buf);
    if (st == DISK_OK)
        far_memcpy(seg, off, my_seg(), (u16)(u32)(disk_buf + (lba & 3) * 512), 512);
    return st;
}

/* One piece of a transfer; *count in: at most what is asked, out: done. */
static u8 io_chunk(struct drive *d, int op, u32 lba, u16 *count, u16 seg, u16 off)
{
    u16 n = *count;
    switch (d->type) {
    case DRV_FLOPPY: *count = 1; return floppy_rw(d, op, lba, 1, seg, off);
    case DRV_ATA: *count = n = n > 64 ? 64 : n; return ata_rw(d, op, lba, n, seg, off);
    case DRV_ATAPI:
        if (op == IO_WRITE)
            return DISK_EWRPROT;
        if (op == IO_VERIFY)
            n = 1, seg = my_seg(), off = (u16)(u32)disk_buf;
        *count = n = n > 16 ? 16 : n;
        return atapi_read(d, lba, n, seg, off);
    case DRV_RAM:
        *count = n = n > 64 ? 64 : n; /* flat_copy moves at most 128 KiB */
        return ramdisk_rw(d, op, lba, n, seg, off);
    case DRV_EMUL:
        if (op == IO_WRITE)
            return DISK_EWRPROT;
        if (op == IO_VERIFY) { /* read into disk_buf: only checks */
            seg = my_seg(), off = (u16)(u32)disk_buf;
            *count = 1;
        }
        return emul_read(d, lba, count, seg, off);
    }
    return DISK_EBADCMD;
}

u8 drive_io(struct drive *d, int op, u32 lba, u16 *count, u16 seg, u16 off)
{
    u16 want = *count;
    *count = 0;
    if (lba >= d->sectors || want > d->sectors - lba)
        return DISK_ENOSECTOR;
    while (*count < want) {
        u16 n = (u16)(want - *count);
        seg += off >> 4; /* normalize: the buffer may continue past its segment */
        off &= 15;
        u8 st = io_chunk(d, op, lba, &n, seg, off);
        if (st)
            return st;
        *count += n;
        lba += n;
        if (op != IO_VERIFY)
            seg += (u16)((u32)n * d->sector_size >> 4);
    }
    return DISK_OK;
}

/* ---- INT 13h ---- */

u8 cd_last_status; /* hot.inc reads it too */

static void disk_ret(struct bregs *r, u8 st)
{
    u8 dl = r->dl;
    if (dl < DRIVE_HD_FIRST)
        pokeb(BDA_SEG, BDA_FDC_STATUS, st);
    else if (dl < DRIVE_CD_FIRST)
        pokeb(BDA_SEG, BDA_HD_STATUS, st);
    else
        cd_last_status = st;
    set_status(r, st);
}

static void disk_1300(struct bregs *r, struct drive *d) /* reset (0Dh: alternate reset) */
{
    disk_ret(r, d->type == DRV_FLOPPY ? floppy_reset() : DISK_OK);
}

static void disk_1301(struct bregs *r) /* status of the last operation */
{
    u8 st = r->dl < DRIVE_HD_FIRST   ? peekb(BDA_SEG, BDA_FDC_STATUS)
            : r->dl < DRIVE_CD_FIRST ? peekb(BDA_SEG, BDA_HD_STATUS)
                                     : cd_last_status;
    r->al = 0;
    set_status(r, st);
}

/* 02h read, 03h write, 04h verify: AL sectors at CH/CL/DH into ES:BX. */
static void disk_1302(struct bregs *r, struct drive *d, int op)
{
    u16 cyl = (u16)(r->ch | (r->cl & 0xc0) << 2), sec = r->cl & 63, n = r->al;
    u32 lba;
    if (d->sector_size != 512 || n == 0 || n > 128 || chs_to_lba(&d->geom, cyl, r->dh, sec, &lba)) {
        r->al = 0;
        disk_ret(r, d->sector_size != 512 || n == 0 ? DISK_EBADCMD : DISK_ENOSECTOR);
        return;
    }
    u8 st = drive_io(d, op, lba, &n, r->es, r->bx);
    r->al = (u8)n;
    disk_ret(r, st);
}

/* The disk base tables of 360 KiB/1.2 MiB, 1.44 MiB and 2.88 MiB media. */
#define FD_PARAMS(spt, gap_len, fmt_gap)                                                                               \
    {                                                                                                                  \
        .specify1 = 0xdf, .specify2 = 0x02, .motor_off = 0x25, .sector_size = 0x02, .last_sector = spt,                \
        .gap = gap_len, .data_len = 0xff, .format_gap = fmt_gap, .fill = 0xf6, .head_settle = 0x0f,                    \
        .motor_start = 0x08                                                                                            \
    }
static const struct disk_base_table fd_params[4] = {
    FD_PARAMS(9, 0x2a, 0x50),
    FD_PARAMS(15, 0x1b, 0x54),
    FD_PARAMS(18, 0x1b, 0x6c),
    FD_PARAMS(36, 0x1b, 0x53),
};
static u16 fd_params_for(u16 spt) { return (u16)(u32)&fd_params[spt >= 36 ? 3 : spt >= 18 ? 2 : spt >= 15 ? 1 : 0]; }

static void disk_1308(struct bregs *r, struct drive *d) /* drive parameters (CHS) */
{
    if (d->sector_size != 512) {
        disk_ret(r, DISK_EBADCMD);
        return;
    }
    u16 maxc = (u16)(d->geom.cyls - 1);
    r->ch = (u8)maxc;
    r->cl = (u8)((maxc >> 2 & 0xc0) | d->geom.spt);
    r->dh = (u8)(d->geom.heads - 1);
    r->al = 0;
    disk_ret(r, DISK_OK); /* before DL becomes the drive count: it says which status byte */
    if (r->dl < DRIVE_HD_FIRST) {
        r->bx = d->fdtype;
        r->dl = class_n[0];
        r->es = my_seg();
        r->di = fd_params_for(d->geom.spt);
    } else {
        r->dl = class_n[1];
    }
}

static void disk_130c(struct bregs *r, struct drive *d) /* seek to CH/CL/DH */
{
    u16 cyl = (u16)(r->ch | (r->cl & 0xc0) << 2);
    u32 lba;
    if (d->sector_size != 512 || chs_to_lba(&d->geom, cyl, r->dh, 1, &lba)) {
        disk_ret(r, DISK_ESEEK);
        return;
    }
    disk_ret(r, d->type == DRV_FLOPPY ? floppy_seek_to(d, cyl) : DISK_OK);
}

static void disk_1315(struct bregs *r, struct drive *d) /* drive type */
{
    if (r->dl < DRIVE_HD_FIRST) {
        r->ah = 0x01; /* a diskette without change-line support: DOS then never asks 16h */
    } else if (r->dl < DRIVE_CD_FIRST) {
        r->ah = 0x03; /* a fixed disk; CX:DX sectors */
        r->cx = (u16)(d->sectors >> 16);
        r->dx = (u16)d->sectors;
    } else {
        disk_ret(r, DISK_EBADCMD);
        return;
    }
    set_cf(r, 0);
}

static void disk_1341(struct bregs *r) /* EDD installation check */
{
    if (r->bx != 0x55aa) {
        disk_ret(r, DISK_EBADCMD);
        return;
    }
    r->bx = 0xaa55;
    r->ah = 0x30;   /* EDD 3.0 */
    r->cx = 0x0007; /* packet functions (42h-44h, 47h, 48h), removable media (45h, 46h, 49h), EDD 3.0 */
    set_cf(r, 0);
}

/* 42h read, 43h write, 44h verify, 47h seek: the disk address packet at DS:SI
 * (size, count, buffer offset:segment, 64-bit LBA). */
static void disk_1342(struct bregs *r, struct drive *d, int op)
{
#define DAP(field) (r->si + FIELD_OFF(struct int13_dap, field))
    u16 n = peekw(r->ds, DAP(count)), boff = peekw(r->ds, DAP(buf_off)), bseg = peekw(r->ds, DAP(buf_seg));
    u32 lba = peekl(r->ds, DAP(lba_lo)), lba_hi = peekl(r->ds, DAP(lba_hi));
    if ((peekw(r->ds, DAP(size)) & 0xff) < sizeof(struct int13_dap) || (boff == 0xffff && bseg == 0xffff)) {
        disk_ret(r, DISK_EBADCMD); /* no 64-bit flat buffer addresses */
        return;
    }
    u8 st;
    if (lba_hi || lba >= d->sectors || n > d->sectors - lba)
        st = DISK_ENOSECTOR, n = 0;
    else if (op < 0) /* 47h seek: a valid LBA is all it takes */
        st = DISK_OK;
    else
        st = drive_io(d, op, lba, &n, bseg, boff);
    if (op >= 0)
        pokew(r->ds, DAP(count), n);
    disk_ret(r, st);
#undef DAP
}

/* 45h lock/unlock (AL 0 lock, 1 unlock, 2 status): a count per drive, as
 * EDD 3.0 says; only CD-ROMs have media to lock. AL returns "locked". */
static void disk_1345(struct bregs *r, struct drive *d)
{
    if (d->sector_size != 2048 || r->al > 2) {
        disk_ret(r, d->sector_size != 2048 ? DISK_ENOTREMOVABLE : DISK_EBADCMD);
        return;
    }
    if (r->al == 0 && d->locks == 255) {
        disk_ret(r, DISK_ELOCKCOUNT);
        return;
    }
    if (r->al == 1 && d->locks == 0) {
        disk_ret(r, DISK_ENOTLOCKED);
        return;
    }
    d->locks += r->al == 0 ? 1 : r->al == 1 ? -1 : 0;
    r->al = d->locks != 0;
    disk_ret(r, DISK_OK);
}

/* 46h eject: refused - fixed media cannot, a locked CD must not, and the
 * BIOS does not drive the tray (the boot CD stays where it is). */
static void disk_1346(struct bregs *r, struct drive *d)
{
    disk_ret(r, d->sector_size != 2048 ? DISK_ENOTREMOVABLE : d->locks ? DISK_ELOCKED : DISK_EEJECT);
}

static void disk_1348(struct bregs *r, struct drive *d) /* EDD drive parameters into DS:SI */
{
    u16 ds = r->ds, si = r->si, size = peekw(ds, si);
#define DP(field) (u16)(si + FIELD_OFF(struct int13_drive_params, field))
    if (size < INT13_DP_SIZE_1X) {
        disk_ret(r, DISK_EBADCMD);
        return;
    }
    int ide = d->type == DRV_ATA || d->type == DRV_ATAPI;
    size = size >= INT13_DP_SIZE_30 && ide ? INT13_DP_SIZE_30
           : size >= INT13_DP_SIZE_20      ? INT13_DP_SIZE_20
                                           : INT13_DP_SIZE_1X;
    far_memset(ds, si, 0, size);
    pokew(ds, DP(size), size);
    u16 flags = d->sector_size == 512 ? INT13_DP_CHS_VALID : INT13_DP_REMOVABLE;
    if (r->dl < DRIVE_HD_FIRST)
        flags |= INT13_DP_REMOVABLE;
    pokew(ds, DP(flags), flags);
    if (d->sector_size == 512) {
        pokel(ds, DP(cyls), d->geom.cyls);
        pokel(ds, DP(heads), d->geom.heads);
        pokel(ds, DP(spt), d->geom.spt);
    }
    pokel(ds, DP(sectors), d->sectors); /* the high dword stays 0 */
    pokew(ds, DP(sector_size), d->sector_size);
    if (size >= INT13_DP_SIZE_20)
        pokel(ds, DP(dpte), 0xffffffffu); /* no device parameter table extension */
    if (size == INT13_DP_SIZE_30) {
        /* EDD 3.0 device path: ISA bus, ATA/ATAPI interface, master/slave */
        static const char names[] = "ISA ATA     ATAPI   ";
        pokew(ds, DP(key), INT13_DP_KEY);
        pokeb(ds, DP(dpi_len), (u8)(INT13_DP_SIZE_30 - FIELD_OFF(struct int13_drive_params, key)));
        far_memcpy(ds, DP(host_bus), my_seg(), (u16)(u32)names, 4);
        far_memcpy(ds, DP(iface_type), my_seg(), (u16)(u32)(names + (d->type == DRV_ATA ? 4 : 12)), 8);
        pokew(ds, DP(iface_path.isa_base), d->unit < 2 ? 0x1f0 : 0x170);
        pokeb(ds, DP(device_path.ata_slave), d->unit & 1);
        u8 sum = 0;
        for (u16 i = FIELD_OFF(struct int13_drive_params, key); i < FIELD_OFF(struct int13_drive_params, checksum); i++)
            sum += peekb(ds, si + i);
        pokeb(ds, DP(checksum), (u8)-sum);
    }
#undef DP
    disk_ret(r, DISK_OK);
}

void handle_int13(struct bregs *r)
{
    if (r->ah == 0x4b) { /* El Torito: answers for the boot CD whatever DL says */
        disk_134b(r);
        return;
    }
    struct drive *d = drive_get(r->dl);
    if (!d) {
        if (r->ah == 0x15 && r->dl < DRIVE_HD_FIRST) { /* "no such drive" is an answer, not an error */
            r->ah = 0;
            set_cf(r, 0);
        } else if (r->ah == 0x08 && r->dl < DRIVE_CD_FIRST) {
            disk_ret(r, DISK_EBADCMD);
            r->dl = class_n[class_of(r->dl)]; /* the count, even for a missing drive */
        } else {
            disk_ret(r, DISK_EBADCMD);
        }
        return;
    }
    switch (r->ah) {
    case 0x00:
    case 0x0d: disk_1300(r, d); break;
    case 0x01: disk_1301(r); break;
    case 0x02: disk_1302(r, d, IO_READ); break;
    case 0x03: disk_1302(r, d, IO_WRITE); break;
    case 0x04: disk_1302(r, d, IO_VERIFY); break;
    case 0x08: disk_1308(r, d); break;
    case 0x0c: disk_130c(r, d); break;
    case 0x10: disk_ret(r, DISK_OK); break; /* ready: every drive we list answers */
    case 0x11: disk_ret(r, d->type == DRV_FLOPPY ? floppy_seek_to(d, 0) : DISK_OK); break; /* recalibrate */
    case 0x15: disk_1315(r, d); break;
    case 0x16: disk_ret(r, r->dl < DRIVE_HD_FIRST ? DISK_OK : DISK_EBADCMD); break; /* change line: not changed */
    case 0x41: disk_1341(r); break;
    case 0x42: disk_1342(r, d, IO_READ); break;
    case 0x43: disk_1342(r, d, IO_WRITE); break;
    case 0x44: disk_1342(r, d, IO_VERIFY); break;
    case 0x45: disk_1345(r, d); break;
    case 0x46: disk_1346(r, d); break;
    case 0x47: disk_1342(r, d, -1); break;
    case 0x48: disk_1348(r, d); break;
    case 0x49: disk_ret(r, DISK_OK); break; /* extended media change: not changed */
    default:                                /* 05h format and the rest: not offered */
        dprintf(1, "rombios: INT 13h AH=%02xh (drive %02xh): not supported\n", r->ah, r->dl);
        disk_ret(r, DISK_EBADCMD);
    }
}

/* ---- POST ---- */

/* The floppy bits of the equipment word (40:10): bit 0 any, bits 7-6 count - 1. */
void disk_equipment(void)
{
    u16 eq = peekw(BDA_SEG, BDA_EQUIPMENT) & ~0x00c1;
    if (class_n[0])
        eq |= 1 | (u16)((class_n[0] - 1) & 3) << 6;
    pokew(BDA_SEG, BDA_EQUIPMENT, eq);
}

void disk_setup(void)
{
    if (have_handoff)
        ramdisk_setup();
    floppy_setup();
    ata_setup();
    pokeb(BDA_SEG, BDA_HD_COUNT, class_n[1]);
    disk_equipment();
    ivt_set(0x1e, my_seg(), fd_params_for(class_n[0] ? class_list[0][0]->geom.spt : 18));
    if (!n_drives)
        bprintf("rombios: no drives found\n");
}

/* ---- INT 19h's part ---- */

static int boot_sector(struct drive *d, u8 *drive, u16 *seg, u16 *off)
{
    u16 n = 1;
    u8 st = drive_io(d, IO_READ, 0, &n, 0, 0x7c00);
    *drive = drive_number(d);
    if (st) {
        bprintf("rombios: drive %02xh: reading the boot sector failed, status %02xh\n", *drive, st);
        return -1;
    }
    /* Hard disks need the 55AAh signature. Floppies boot without it (old DOS
     * and many hand-made boot sectors lack it), unless the sector starts
     * with zeros: blank media. */
    if (peekw(0, 0x7dfe) != 0xaa55) {
        if (*drive >= DRIVE_HD_FIRST || peekw(0, 0x7c00) == 0) {
            bprintf("rombios: drive %02xh: no boot record (no 55AAh signature)\n", *drive);
            return -1;
        }
        bprintf("rombios: drive %02xh: boot sector without 55AAh signature, booting it anyway\n", *drive);
    }
    *seg = 0;
    *off = 0x7c00;
    return 0;
}

int disk_boot(u8 kind, u8 *drive, u16 *seg, u16 *off)
{
    static const u8 type_of[] = { 0, DRV_FLOPPY, DRV_ATA, DRV_ATAPI, DRV_RAM };
    struct drive *d = 0;
    for (int c = 0; c < 3 && !d; c++)
        for (u8 i = 0; i < class_n[c] && !d; i++)
            if (kind < sizeof type_of && class_list[c][i]->type == type_of[kind])
                d = class_list[c][i];
    if (!d) {
        bprintf("rombios: no drive of that kind\n");
        return -1;
    }
    if (d->sector_size == 2048)
        return eltorito_boot(d, drive, seg, off);
    return boot_sector(d, drive, seg, off);
}
