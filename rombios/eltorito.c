/* eltorito.c - booting a CD the El Torito way (Phoenix/IBM 1995): the boot
 * record volume descriptor at sector 17 points to the boot catalog, whose
 * default entry says what to load and how: no emulation (the loader runs
 * with drive E0h and reads 2048-byte sectors with INT 13h 42h) or a floppy
 * image that becomes drive 00h. Hard disk emulation is not offered. */
#include "disk.h"

/* What INT 13h 4Bh reports: the boot that happened. */
static struct {
    u8 active;
    u8 media;
    u8 drive; /* the emulated (00h) or the CD drive number */
    struct drive *cd;
    struct drive *emul; /* floppy emulation: the drive 00h we made */
    u32 rba;
    u16 load_seg, count;
} boot_cd;

static u16 buf_off(void) { return (u16)(u32)disk_buf; }

static int read_cd(struct drive *cd, u32 lba)
{
    u16 n = 1;
    u8 st = drive_io(cd, IO_READ, lba, &n, my_seg(), buf_off());
    if (st)
        bprintf("rombios: CD drive %02xh: reading sector %u failed, status %02xh\n", drive_number(cd), (unsigned)lba,
                st);
    return st ? -1 : 0;
}

int eltorito_boot(struct drive *cd, u8 *drive, u16 *seg, u16 *off)
{
    u32 catalog;
    struct eltorito_boot b;
    u8 num = drive_number(cd);
    if (read_cd(cd, 17))
        return -1;
    int rc = eltorito_brvd(disk_buf, &catalog);
    if (rc == 0) {
        if (read_cd(cd, catalog))
            return -1;
        rc = eltorito_catalog(disk_buf, &b);
    }
    if (rc) {
        bprintf("rombios: CD drive %02xh: no boot record: %s\n", num, eltorito_error(rc));
        return -1;
    }
    u16 lseg = b.load_seg ? b.load_seg : 0x07c0;
    u16 count = b.sector_count ? b.sector_count : 1;
    struct drive *src = cd;
    u32 first = b.load_rba; /* in src's sectors */
    if (b.media == ELTORITO_HD) {
        bprintf("rombios: CD drive %02xh: hard disk emulation is not supported\n", num);
        return -1;
    }
    if (b.media != ELTORITO_NOEMUL) {
        /* Floppy emulation: the image becomes drive 00h, the real floppies move up. */
        static const u8 fdtype[] = { 0, 2, 4, 5 };
        struct drive *e = drive_new(VMXLAB_BOOT_FLOPPY, 1);
        if (!e) {
            bprintf("rombios: CD drive %02xh: no room for an emulated floppy\n", num);
            return -1;
        }
        e->type = DRV_EMUL;
        e->media = b.media;
        e->cd = cd;
        e->base = b.load_rba;
        e->sector_size = 512;
        e->fdtype = fdtype[b.media];
        floppy_geom_by_type(e->fdtype, &e->geom);
        e->sectors = (u32)e->geom.cyls * e->geom.heads * e->geom.spt;
        disk_equipment();
        boot_cd.emul = src = e;
        first = 0;
        num = 0x00;
        bprintf("rombios: CD: %s floppy image at sector %u emulated as drive 00h\n",
                (const char *const[]){ "", "1.2M", "1.44M", "2.88M" }[b.media], (unsigned)b.load_rba);
    }
    /* Load count 512-byte sectors: whole source sectors straight to
     * lseg:0, a last partial CD sector through disk_buf. */
    u16 per = src->sector_size / 512, whole = count / per, rest = count % per;
    u16 n = whole;
    u8 st = whole ? drive_io(src, IO_READ, first, &n, lseg, 0) : 0;
    if (!st && rest) {
        u16 one = 1;
        st = drive_io(src, IO_READ, first + whole, &one, my_seg(), buf_off());
        u32 at = LINEAR(lseg, 0) + (u32)whole * src->sector_size;
        if (!st)
            far_memcpy(SEG_OF(at), OFF_OF(at), my_seg(), buf_off(), (u32)rest * 512);
    }
    if (st) {
        bprintf("rombios: CD drive %02xh: loading the boot image failed, status %02xh\n", drive_number(cd), st);
        return -1;
    }
    boot_cd.active = 1;
    boot_cd.media = b.media;
    boot_cd.drive = num;
    boot_cd.cd = cd;
    boot_cd.rba = b.load_rba;
    boot_cd.load_seg = lseg;
    boot_cd.count = count;
    bprintf("rombios: CD drive %02xh: El Torito %s, %u sectors from sector %u to %04x:0000\n", drive_number(cd),
            b.media ? "floppy emulation" : "no emulation", count, (unsigned)b.load_rba, lseg);
    *drive = num;
    *seg = lseg;
    *off = 0;
    return 0;
}

/* INT 13h 4Bh: AL=00h terminate the emulation, AL=01h just report it;
 * both fill the 13h-byte specification packet at DS:SI. */
void disk_134b(struct bregs *r)
{
    if ((r->al != 0x00 && r->al != 0x01) || !boot_cd.active) {
        set_status(r, DISK_EBADCMD);
        return;
    }
    u16 ds = r->ds, si = r->si;
#define SPEC(field) (u16)(si + FIELD_OFF(struct eltorito_spec, field))
    far_memset(ds, si, 0, sizeof(struct eltorito_spec));
    pokeb(ds, SPEC(size), sizeof(struct eltorito_spec));
    pokeb(ds, SPEC(media), boot_cd.media);
    pokeb(ds, SPEC(drive), boot_cd.drive);
    pokeb(ds, SPEC(controller), boot_cd.cd->unit >> 1);
    pokel(ds, SPEC(lba), boot_cd.rba);
    pokew(ds, SPEC(device), boot_cd.cd->unit & 1); /* master 0, slave 1 */
    pokew(ds, SPEC(load_seg), boot_cd.load_seg);
    pokew(ds, SPEC(count), boot_cd.count);
    if (boot_cd.emul) {
        const struct chs *g = &boot_cd.emul->geom;
        u16 maxc = (u16)(g->cyls - 1);
        pokeb(ds, SPEC(cyl_lo), (u8)maxc);
        pokeb(ds, SPEC(sec_cyl), (u8)((maxc >> 2 & 0xc0) | g->spt));
        pokeb(ds, SPEC(heads), (u8)(g->heads - 1));
    }
#undef SPEC
    if (r->al == 0x00 && boot_cd.emul) {
        /* Terminate: the emulated drive goes away, real floppies move back to 00h. */
        drive_remove(boot_cd.emul);
        disk_equipment();
        boot_cd.emul = 0;
        boot_cd.active = 0;
    }
    set_status(r, DISK_OK);
}
