/* ata.c - ATA hard disks and ATAPI CD-ROMs on the two legacy IDE channels,
 * programmed I/O. Disk commands poll the status register with interrupts
 * off at the device (nIEN); CD-ROM commands halt until the device's IRQ.
 * Every wait is bounded by the timer (ATA-6, ATAPI: SFF-8020i). */
#include "disk.h"

static const u16 ata_base[2] = { 0x1f0, 0x170 }; /* command blocks; IRQ 14, 15 */
static const u16 ata_ctl[2] = { 0x3f6, 0x376 };  /* device control / alternate status */

/* Command block registers (offsets from the base) */
#define ATA_DATA 0
#define ATA_ERROR 1 /* read; FEATURES on write */
#define ATA_COUNT 2
#define ATA_LBA0 3
#define ATA_LBA1 4 /* ATAPI: byte count low */
#define ATA_LBA2 5 /* ATAPI: byte count high */
#define ATA_DEVICE 6
#define ATA_STATUS 7 /* read; COMMAND on write */
#define ST_ERR 0x01
#define ST_DRQ 0x08
#define ST_DF 0x20
#define ST_BSY 0x80
#define CTL_NIEN 0x02 /* no interrupts: we poll */
#define CTL_SRST 0x04
#define DEV_LBA 0x40

#define CMD_READ 0x20
#define CMD_READ_EXT 0x24
#define CMD_WRITE 0x30
#define CMD_WRITE_EXT 0x34
#define CMD_PACKET 0xa0
#define CMD_IDENTIFY_PACKET 0xa1
#define CMD_IDENTIFY 0xec

#define ATA_TICKS 37 /* 2 s: far more than any emulated or real disk needs for one sector */

volatile u8 ata_irq_seen;

static u16 base_of(const struct drive *d) { return ata_base[d->unit >> 1]; }

/* BSY clear, then the status (or 0xff on a timeout: looks like ERR). */
static u8 ata_ready(u16 base)
{
    if (disk_wait(base + ATA_STATUS, ST_BSY, 0, 0, ATA_TICKS))
        return 0xff;
    return inb(base + ATA_STATUS);
}

static u8 ata_select(const struct drive *d, u8 bits)
{
    u16 base = base_of(d);
    outb(base + ATA_DEVICE, 0xa0 | bits | (d->unit & 1) << 4);
    for (int i = 0; i < 4; i++) /* 400 ns for the device to answer */
        inb(ata_ctl[d->unit >> 1]);
    return ata_ready(base);
}

/* The data phase of one DRQ block: wait, check, then move words. */
static u8 ata_drq(u16 base)
{
    u8 st = ata_ready(base);
    if (st == 0xff)
        return DISK_ETIMEOUT;
    if (st & (ST_ERR | ST_DF))
        return DISK_ESTATUS;
    return (st & ST_DRQ) ? DISK_OK : DISK_EUNDEF;
}

u8 ata_rw(struct drive *d, int op, u32 lba, u16 count, u16 seg, u16 off)
{
    u16 base = base_of(d);
    if (ata_select(d, DEV_LBA | (d->lba48 ? 0 : (lba >> 24) & 15)) == 0xff)
        return DISK_ETIMEOUT;
    if (d->lba48) {
        outb(base + ATA_COUNT, count >> 8);
        outb(base + ATA_LBA0, lba >> 24);
        outb(base + ATA_LBA1, 0);
        outb(base + ATA_LBA2, 0);
    }
    outb(base + ATA_COUNT, (u8)count);
    outb(base + ATA_LBA0, (u8)lba);
    outb(base + ATA_LBA1, (u8)(lba >> 8));
    outb(base + ATA_LBA2, (u8)(lba >> 16));
    int wr = op == IO_WRITE;
    outb(base + ATA_STATUS, wr ? (d->lba48 ? CMD_WRITE_EXT : CMD_WRITE) : (d->lba48 ? CMD_READ_EXT : CMD_READ));
    for (u16 i = 0; i < count; i++) {
        u8 st = ata_drq(base);
        if (st)
            return st;
        seg += off >> 4; /* keep the offset small: the buffer may run past 64 KiB */
        off &= 15;
        if (wr)
            outsw_far(base, seg, off, 256);
        else if (op == IO_READ)
            insw_far(base, seg, off, 256);
        else
            insw_far(base, my_seg(), (u16)(u32)disk_buf, 256); /* verify: read and drop */
        if (op != IO_VERIFY)
            off += 512;
    }
    u8 st = ata_ready(base);
    if (st == 0xff)
        return DISK_ETIMEOUT;
    return (st & (ST_ERR | ST_DF)) ? (wr ? DISK_EWRFAULT : DISK_ESTATUS) : DISK_OK;
}

/* An ATAPI command: a 12-byte packet, then DRQ blocks of the size the device
 * gives in the byte count registers, into seg:off (at most max bytes).
 * A CD-ROM takes its time to seek (milliseconds on real drives, emulated
 * time in Bochs), so once the packet is sent we let the device interrupt
 * (nIEN off) and halt until it does: the CPU - and under vmxlab the whole
 * VM - sleeps instead of spinning on the status register. If no interrupt
 * comes (IRQ masked, a quirky device) the status poll below still decides. */
static u8 atapi_packet_io(struct drive *d, const u8 *pkt, u16 seg, u16 off, u32 max, u32 *got)
{
    u16 base = base_of(d);
    u8 ch = d->unit >> 1;
    *got = 0;
    if (ata_select(d, 0) == 0xff)
        return DISK_ETIMEOUT;
    outb(base + ATA_ERROR, 0);   /* PIO, not DMA */
    outb(base + ATA_LBA1, 0x00); /* byte count limit 2048 per DRQ block */
    outb(base + ATA_LBA2, 0x08);
    outb(base + ATA_STATUS, CMD_PACKET);
    u8 st = ata_drq(base);
    if (st)
        return st;
    int irq_on = !(inb(PIC2_DATA) & (1 << (6 + ch))) && !(inb(PIC1_DATA) & (1 << 2));
    ata_irq_seen = 0;
    outb(ata_ctl[ch], irq_on ? 0 : CTL_NIEN);
    outsw_far(base, my_seg(), (u16)(u32)pkt, 6);
    for (;;) {
        if (irq_on) {
            disk_wait(0, 0, 0, &ata_irq_seen, ATA_TICKS);
            ata_irq_seen = 0;
        }
        u8 s = ata_ready(base);
        if (s == 0xff)
            return DISK_ETIMEOUT;
        if (s & ST_ERR)
            return DISK_ENOTREADY; /* sense key (no medium, unit attention): the caller retries */
        if (!(s & ST_DRQ))
            return DISK_OK;
        u16 n = (u16)(inb(base + ATA_LBA1) | inb(base + ATA_LBA2) << 8);
        if (*got + n > max || (n & 1))
            return DISK_EUNDEF;
        seg += off >> 4;
        off &= 15;
        insw_far(base, seg, off, n / 2);
        off += n;
        *got += n;
    }
}

static u8 atapi_packet(struct drive *d, const u8 *pkt, u16 seg, u16 off, u32 max, u32 *got)
{
    u8 st = atapi_packet_io(d, pkt, seg, off, max, got);
    outb(ata_ctl[d->unit >> 1], CTL_NIEN); /* back to polling for everyone else */
    return st;
}

u8 atapi_read(struct drive *d, u32 lba, u16 count, u16 seg, u16 off)
{
    const u8 pkt[12] = { 0x28, 0, lba >> 24, lba >> 16, lba >> 8, lba, 0, count >> 8, count, 0, 0, 0 };
    u8 st = 0;
    for (int try = 0; try < 3; try++) { /* a unit attention after a media change fails the first command */
        u32 got;
        st = atapi_packet(d, pkt, seg, off, (u32)count * 2048, &got);
        if (st == DISK_OK && got != (u32)count * 2048)
            st = DISK_EUNDEF;
        if (st == DISK_OK)
            break;
    }
    return st;
}

static u32 be32(const u8 *p) { return (u32)p[0] << 24 | (u32)p[1] << 16 | (u32)p[2] << 8 | p[3]; }

/* The signature a device leaves in LBA1/LBA2 after a reset: 0000h ATA,
 * EB14h ATAPI; 0xffff: no device. Read for both devices before any command,
 * since register writes reach both devices of a channel. An absent device
 * reads status 0 (QEMU: and signature 0000h), but so does an ATAPI device
 * after a reset (it does not set DRDY): EB14h decides for those. */
static u16 ata_signature(u8 unit)
{
    u16 base = ata_base[unit >> 1];
    struct drive probe = { .unit = unit };
    u8 st = ata_select(&probe, 0);
    if (st == 0xff)
        return 0xffff; /* no device: status floats high, or BSY never ends */
    u16 sig = (u16)(inb(base + ATA_LBA1) | inb(base + ATA_LBA2) << 8);
    return (st == 0 && sig != 0xeb14) ? 0xffff : sig;
}

/* IDENTIFY (PACKET) DEVICE and the drive table entry for one device. */
static void ata_probe(u8 unit, u16 sig)
{
    u16 base = ata_base[unit >> 1];
    int atapi = sig == 0xeb14;
    if (!atapi && sig != 0)
        return;
    struct drive probe = { .unit = unit };
    if (ata_select(&probe, 0) == 0xff)
        return;
    u16 *id = (u16 *)disk_buf;
    outb(base + ATA_STATUS, atapi ? CMD_IDENTIFY_PACKET : CMD_IDENTIFY);
    if (ata_drq(base))
        return;
    insw_far(base, my_seg(), (u16)(u32)id, 256);
    const char *pos = unit & 1 ? "slave" : "master";
    struct drive *d = drive_new(atapi ? VMXLAB_BOOT_CDROM : VMXLAB_BOOT_DISK, 0);
    if (!d) {
        bprintf("rombios: ata%u %s: too many drives, ignored\n", unit >> 1, pos);
        return;
    }
    d->unit = unit;
    if (atapi) {
        d->type = DRV_ATAPI;
        d->sector_size = 2048;
        /* READ CAPACITY: the last LBA and the block size, big-endian */
        static const u8 cap[12] = { 0x25 };
        u32 got;
        for (int try = 0; try < 3 && !d->sectors; try++)
            if (atapi_packet(d, cap, my_seg(), (u16)(u32)disk_buf, 8, &got) == DISK_OK && got == 8)
                d->sectors = be32(disk_buf) + 1;
        if (d->sectors)
            bprintf("rombios: ata%u %s: CD-ROM, %u sectors of 2048 bytes, drive %02xh\n", unit >> 1, pos,
                    (unsigned)d->sectors, drive_number(d));
        else
            bprintf("rombios: ata%u %s: CD-ROM, no disc, drive %02xh\n", unit >> 1, pos, drive_number(d));
        return;
    }
    d->type = DRV_ATA;
    d->sector_size = 512;
    d->sectors = id[60] | (u32)id[61] << 16;
    if (id[83] & (1 << 10)) { /* 48-bit LBA: words 100-103 (we keep 32 bits: 2 TiB) */
        d->lba48 = 1;
        d->sectors = (id[102] || id[103]) ? 0xffffffffu : id[100] | (u32)id[101] << 16;
    }
    if (!d->sectors) /* a CHS-only disk */
        d->sectors = (u32)id[1] * id[3] * id[6];
    d->geom.cyls = id[1];
    d->geom.heads = id[3];
    d->geom.spt = id[6];
    if (d->geom.cyls > 1024 || !d->geom.heads || d->geom.heads > 255 || !d->geom.spt || d->geom.spt > 63)
        hd_geom_guess(d->sectors, 0, &d->geom); /* larger than CHS can say: LBA-assisted translation */
    bprintf("rombios: ata%u %s: disk, %u sectors (%u MiB)%s, CHS %u/%u/%u, drive %02xh\n", unit >> 1, pos,
            (unsigned)d->sectors, (unsigned)((d->sectors + 1024) >> 11), d->lba48 ? ", LBA48" : "", d->geom.cyls,
            d->geom.heads, d->geom.spt, drive_number(d));
}

void ata_setup(void)
{
    for (u8 ch = 0; ch < 2; ch++) {
        if (inb(ata_base[ch] + ATA_STATUS) == 0xff)
            continue; /* nothing on this channel: the bus floats high */
        outb(ata_ctl[ch], CTL_NIEN | CTL_SRST);
        for (int i = 0; i < 20; i++)
            io_delay();
        outb(ata_ctl[ch], CTL_NIEN);
        u16 sig0 = ata_signature(ch * 2), sig1 = ata_signature(ch * 2 + 1);
        ata_probe(ch * 2, sig0);
        ata_probe(ch * 2 + 1, sig1);
    }
}

/* The disks interrupt only if a program turned nIEN off (a guest OS driver
 * before it installs its own handler): acknowledge at the device and PICs. */
static void ata_irq(u8 ch)
{
    inb(ata_base[ch] + ATA_STATUS);
    ata_irq_seen = 1;
    outb(PIC2_CMD, PIC_OCW2_EOI);
    outb(PIC1_CMD, PIC_OCW2_EOI);
}
void handle_irq14(struct bregs *r)
{
    (void)r;
    ata_irq(0);
}
void handle_irq15(struct bregs *r)
{
    (void)r;
    ata_irq(1);
}
