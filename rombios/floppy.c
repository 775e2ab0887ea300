/* floppy.c - the floppy disk controller (82077AA at 3F0h, IRQ 6, ISA DMA
 * channel 2): reset, recalibrate, seek, and one-sector READ/WRITE DATA
 * commands. The drive types come from CMOS 10h; the media density is found
 * by reading track 0 at each data rate the drive type allows (probe_media). */
#include "disk.h"

#define FDC_DOR 0x3f2  /* digital output: motor enables, DMA/IRQ gate, reset */
#define FDC_MSR 0x3f4  /* main status */
#define FDC_FIFO 0x3f5 /* command and result bytes */
#define FDC_CCR 0x3f7  /* configuration control: data rate (write) */
#define FDC_DIR 0x3f7  /* digital input (read): bit 7 the disk change line */
#define DIR_DSKCHG 0x80
#define DOR_NRESET 0x04
#define DOR_DMA 0x08
#define MSR_DIO 0x40
#define MSR_RQM 0x80

#define FD_TICKS 37 /* 2 s for a command's interrupt (a real drive spins up in 0.5 s) */

static volatile u8 fd_irq;
static u8 fd_cyl[2] = { 0xff, 0xff }; /* where each head is; 0xff: recalibrate first */
static u8 fd_probed[2];               /* the media density is known */

static int fdc_out(u8 b)
{
    if (disk_wait(FDC_MSR, MSR_RQM | MSR_DIO, MSR_RQM, 0, FD_TICKS))
        return -1;
    outb(FDC_FIFO, b);
    return 0;
}

static int fdc_in(u8 *b)
{
    if (disk_wait(FDC_MSR, MSR_RQM | MSR_DIO, MSR_RQM | MSR_DIO, 0, FD_TICKS))
        return -1;
    *b = inb(FDC_FIFO);
    return 0;
}

static int fdc_irq_wait(void)
{
    int rc = disk_wait(0, 0, 0, &fd_irq, FD_TICKS);
    fd_irq = 0;
    return rc;
}

/* SENSE INTERRUPT STATUS: what a seek, recalibrate or reset ended with. */
static int fdc_sense(u8 *st0, u8 *cyl) { return fdc_out(0x08) || fdc_in(st0) || fdc_in(cyl) ? -1 : 0; }

u8 floppy_reset(void)
{
    fd_irq = 0;
    outb(FDC_DOR, 0);
    io_delay();
    outb(FDC_DOR, DOR_NRESET | DOR_DMA);
    if (fdc_irq_wait())
        return DISK_ETIMEOUT;
    u8 st0, cyl;
    for (int i = 0; i < 4; i++) /* one per drive: the reset "changed" them all */
        if (fdc_sense(&st0, &cyl))
            return DISK_EFDC;
    /* SPECIFY: step rate 3 ms, head unload 240 ms; head load 4 ms, DMA mode */
    if (fdc_out(0x03) || fdc_out(0xdf) || fdc_out(0x02))
        return DISK_EFDC;
    fd_cyl[0] = fd_cyl[1] = 0xff;
    fd_probed[0] = fd_probed[1] = 0;
    pokeb(BDA_SEG, BDA_FDC_RECAL, 0);
    return DISK_OK;
}

static void motor_on(u8 unit)
{
    outb(FDC_DOR, DOR_NRESET | DOR_DMA | unit | (0x10 << unit));
    pokeb(BDA_SEG, BDA_FDC_MOTOR, 1 << unit);
    pokeb(BDA_SEG, BDA_FDC_TIMEOUT, 37);
}

static u8 recalibrate(u8 unit)
{
    u8 st0, cyl;
    for (int try = 0; try < 2; try++) { /* 80 tracks may take two 77-step recalibrates */
        if (fdc_out(0x07) || fdc_out(unit) || fdc_irq_wait())
            return DISK_ETIMEOUT;
        if (fdc_sense(&st0, &cyl))
            return DISK_EFDC;
        if (!(st0 & 0xd0) && cyl == 0) {
            fd_cyl[unit] = 0;
            pokeb(BDA_SEG, BDA_FDC_RECAL, peekb(BDA_SEG, BDA_FDC_RECAL) | 1 << unit);
            return DISK_OK;
        }
    }
    return DISK_ESEEK;
}

u8 floppy_seek_to(struct drive *d, u16 cyl)
{
    u8 unit = d->unit, st0, pcn;
    motor_on(unit);
    if (fd_cyl[unit] == 0xff) {
        u8 st = recalibrate(unit);
        if (st)
            return st;
    }
    if (fd_cyl[unit] == cyl)
        return DISK_OK;
    if (fdc_out(0x0f) || fdc_out(unit) || fdc_out((u8)cyl) || fdc_irq_wait())
        return DISK_ETIMEOUT;
    if (fdc_sense(&st0, &pcn))
        return DISK_EFDC;
    if ((st0 & 0xc0) || pcn != cyl) {
        fd_cyl[unit] = 0xff;
        return DISK_ESEEK;
    }
    fd_cyl[unit] = (u8)cyl;
    return DISK_OK;
}

/* CCR data rate for a format: 1 Mbit/s for 2.88M, 500 kbit/s for the high
 * density formats, 250 kbit/s for 720K and 360K. */
static u8 rate_of(u16 spt) { return spt >= 36 ? 3 : spt >= 15 ? 0 : 2; }

/* ISA DMA channel 2 (8237): mode 46h = single, increment, write to memory
 * (a disk read); 4Ah = read from memory. The page register holds bits 23-16. */
static void dma_setup(u32 lin, int to_memory)
{
    outb(0x0a, 0x06); /* mask channel 2 */
    outb(0x0c, 0);    /* clear the byte flip-flop */
    outb(0x0b, to_memory ? 0x46 : 0x4a);
    outb(0x04, (u8)lin);
    outb(0x04, (u8)(lin >> 8));
    outb(0x81, (u8)(lin >> 16));
    outb(0x0c, 0);
    outb(0x05, 0xff); /* count - 1 = 511 */
    outb(0x05, 0x01);
    outb(0x0a, 0x02); /* unmask */
}

static u8 st_to_status(const u8 *res)
{
    if (!(res[0] & 0xc0))
        return DISK_OK;
    if (res[1] & 0x02)
        return DISK_EWRPROT;
    if (res[1] & 0x01)
        return DISK_EADDRMARK;
    if (res[1] & 0x84)
        return DISK_ENOSECTOR;
    if (res[2] & 0x20)
        return 0x10; /* CRC error */
    return DISK_EFDC;
}

/* One sector at cylinder c, head h, sector s. The 8237 cannot cross a
 * 64 KiB physical page (nor reach above 16 MiB), so such a buffer goes
 * through a bounce buffer: the upper half of the 1 KiB EBDA (EBDA:0200h),
 * which never straddles a page. Not disk_buf: under the hv our F000
 * segment is guest memory the EPT places elsewhere, and the device's DMA
 * writes guest-physical = host-physical only in low RAM. */
static u8 fd_sector(struct drive *d, int op, u16 c, u16 h, u16 s, u16 seg, u16 off)
{
    u8 st = floppy_seek_to(d, c);
    if (st)
        return st;
    u32 lin = LINEAR(seg, off);
    u16 ebda = peekw(BDA_SEG, BDA_EBDA_SEG);
    int bounce = op == IO_VERIFY || (lin & 0xffff) > 0x10000 - 512 || lin + 512 > 0x1000000;
    u32 dma = bounce ? LINEAR(ebda, EBDA_OFF(fd_bounce)) : lin;
    if (bounce && op == IO_WRITE)
        far_memcpy(ebda, EBDA_OFF(fd_bounce), seg, off, 512);
    dma_setup(dma, op != IO_WRITE);
    outb(FDC_CCR, rate_of(d->geom.spt));
    u8 cmd = op == IO_WRITE ? 0x45 : 0x46; /* WRITE/READ DATA, MFM */
    const u8 bytes[9] = { cmd, (u8)(h << 2 | d->unit), (u8)c, (u8)h, (u8)s, 2, (u8)s, 0x1b, 0xff };
    for (int i = 0; i < 9; i++)
        if (fdc_out(bytes[i]))
            return DISK_ETIMEOUT;
    if (fdc_irq_wait()) {
        floppy_reset(); /* abort the command: the FDC takes no other until it ends */
        return DISK_ETIMEOUT;
    }
    u8 res[7];
    for (int i = 0; i < 7; i++)
        if (fdc_in(&res[i]))
            return DISK_EFDC;
    st = st_to_status(res);
    if (!st && bounce && op == IO_READ)
        far_memcpy(seg, off, ebda, EBDA_OFF(fd_bounce), 512);
    return st;
}

/* Which density is in the drive: read the last sector of track 0 for each
 * format the drive type allows, densest first. A wrong data rate or a
 * sector past the track's end fails (READ ID would not do: emulators answer
 * it at any rate). 15 sectors only in a 1.2M drive. First the change line:
 * it stays set until a seek with a disk in, so if two seeks leave it set
 * the drive is empty (and no READ DATA is sent: Bochs never ends one in an
 * empty drive). The next access probes again. */
static u8 probe_media(struct drive *d)
{
    static const u8 spts[] = { 36, 18, 15, 9 };
    struct chs def;
    if (!floppy_geom_by_type(d->fdtype, &def))
        return DISK_ENOMEDIA;
    if ((inb(FDC_DIR) & DIR_DSKCHG) && (floppy_seek_to(d, 1) || floppy_seek_to(d, 0) || (inb(FDC_DIR) & DIR_DSKCHG))) {
        bprintf("rombios: floppy %u: no disk in the drive\n", d->unit);
        return DISK_ETIMEOUT;
    }
    unsigned i;
    for (i = 0; i < sizeof spts; i++) {
        if (spts[i] > def.spt || (spts[i] == 15) != (def.spt == 15))
            continue;
        d->geom.spt = spts[i];
        if (fd_sector(d, IO_VERIFY, 0, 0, spts[i], 0, 0) == DISK_OK)
            break;
    }
    if (i == sizeof spts) {
        bprintf("rombios: floppy %u: cannot read the disk at any density the drive supports\n", d->unit);
        return DISK_ENOMEDIA;
    }
    d->geom.cyls = def.cyls;
    d->geom.heads = 2;
    d->sectors = (u32)d->geom.cyls * 2 * d->geom.spt;
    fd_probed[d->unit] = 1;
    /* Once: after a reset (DOS resets at every disk error) the probe runs
     * again, and then the line would land on the DOS screen. */
    static u8 told[2];
    if (!told[d->unit]) {
        told[d->unit] = 1;
        dprintf(1, "rombios: floppy %u: %u sectors per track\n", d->unit, d->geom.spt);
    }
    return DISK_OK;
}

u8 floppy_rw(struct drive *d, int op, u32 lba, u16 count, u16 seg, u16 off)
{
    if (!fd_probed[d->unit]) {
        motor_on(d->unit);
        if (fd_cyl[d->unit] == 0xff && recalibrate(d->unit))
            return DISK_ETIMEOUT;
        u8 st = probe_media(d);
        if (st)
            return st;
    }
    for (u16 i = 0; i < count; i++, lba++) {
        u16 c, h, s;
        lba_to_chs(&d->geom, lba, &c, &h, &s);
        seg += off >> 4;
        off &= 15;
        u8 st = DISK_OK;
        for (int try = 0; try < 3; try++) { /* the classic advice: retry three times, recalibrating */
            st = fd_sector(d, op, c, h, s, seg, off);
            if (st == DISK_OK || st == DISK_EWRPROT)
                break;
            fd_cyl[d->unit] = 0xff;
        }
        if (st)
            return st;
        off += 512;
    }
    return DISK_OK;
}

/* The 8237 pair after reset: both enabled (master clear), and the slave
 * (channels 0-3) cascaded through channel 4 of the master, unmasked; no
 * floppy DMA reaches memory otherwise. */
static void dma_init(void)
{
    outb(0x0d, 0);    /* slave master clear */
    outb(0xda, 0);    /* master master clear */
    outb(0xd6, 0xc0); /* channel 4: cascade mode */
    outb(0xd4, 0x00); /* unmask channel 4 */
}

void floppy_setup(void)
{
    u8 types = cmos_read(CMOS_FLOPPY_TYPES); /* bits 7-4 drive 0, 3-0 drive 1 */
    dma_init();
    for (u8 unit = 0; unit < 2; unit++) {
        u8 t = unit ? types & 15 : types >> 4;
        struct chs g;
        if (!floppy_geom_by_type(t, &g))
            continue;
        struct drive *d = drive_new(VMXLAB_BOOT_FLOPPY, 0);
        if (!d)
            return;
        d->type = DRV_FLOPPY;
        d->unit = unit;
        d->fdtype = t;
        d->sector_size = 512;
        d->geom = g;
        d->sectors = (u32)g.cyls * g.heads * g.spt;
        bprintf("rombios: floppy %u: %s drive (CMOS type %u), drive %02xh\n", unit,
                (const char *const[]){ "", "360K", "1.2M", "720K", "1.44M", "2.88M" }[t], t, drive_number(d));
    }
    if (types)
        floppy_reset();
}

void handle_irq6(struct bregs *r)
{
    (void)r;
    fd_irq = 1;
    pokeb(BDA_SEG, BDA_FDC_RECAL, peekb(BDA_SEG, BDA_FDC_RECAL) | 0x80); /* 40:3E bit 7: the interrupt came */
    outb(PIC1_CMD, PIC_OCW2_EOI);
}
