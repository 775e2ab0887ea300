/* diskgeom.c - the pure arithmetic of INT 13h (see diskgeom.h). */
#include "diskgeom.h"

int chs_to_lba(const struct chs *g, u16 c, u16 h, u16 s, u32 *lba)
{
    if (s < 1 || s > g->spt || h >= g->heads || c >= g->cyls)
        return -1;
    *lba = ((u32)c * g->heads + h) * g->spt + (s - 1);
    return 0;
}

void lba_to_chs(const struct chs *g, u32 lba, u16 *c, u16 *h, u16 *s)
{
    *s = (u16)(lba % g->spt + 1);
    lba /= g->spt;
    *h = (u16)(lba % g->heads);
    *c = (u16)(lba / g->heads);
}

static const struct {
    u32 kib;
    u8 type;
    struct chs g;
} floppy_formats[] = {
    { 360, 1, { 40, 2, 9 } },   { 720, 3, { 80, 2, 9 } },   { 1200, 2, { 80, 2, 15 } },
    { 1440, 4, { 80, 2, 18 } }, { 1680, 4, { 80, 2, 21 } }, { 2880, 5, { 80, 2, 36 } },
};
#define N_FLOPPY_FORMATS (sizeof floppy_formats / sizeof floppy_formats[0])

u8 floppy_geom_by_size(u32 bytes, struct chs *g)
{
    for (unsigned i = 0; i < N_FLOPPY_FORMATS; i++)
        if (bytes == floppy_formats[i].kib * 1024) {
            *g = floppy_formats[i].g;
            return floppy_formats[i].type;
        }
    return 0;
}

int floppy_geom_by_type(u8 type, struct chs *g)
{
    static const u16 kib_of_type[] = { 0, 360, 1200, 720, 1440, 2880 };
    if (type < 1 || type > 5)
        return 0;
    return floppy_geom_by_size((u32)kib_of_type[type] * 1024, g) != 0;
}

void hd_geom_guess(u32 sectors, const u8 *mbr, struct chs *g)
{
    g->heads = sectors <= 1024u * 16 * 63 ? 16 : 255;
    g->spt = 63;
    if (mbr && mbr[510] == 0x55 && mbr[511] == 0xaa) {
        /* Partition entries at 1BEh, 16 bytes: end CHS at +5 (head), +6 (sector | cyl high bits). */
        for (int i = 0; i < 4; i++) {
            const u8 *p = mbr + 0x1be + 16 * i;
            u8 end_head = p[5], end_sec = p[6] & 63;
            if (p[4] != 0 && end_sec != 0) {
                g->heads = (u16)(end_head + 1);
                g->spt = end_sec;
                break;
            }
        }
    }
    u32 cyls = sectors / ((u32)g->heads * g->spt);
    g->cyls = (u16)(cyls > 1024 ? 1024 : cyls ? cyls : 1);
}

static u32 le32(const u8 *p) { return p[0] | (u32)p[1] << 8 | (u32)p[2] << 16 | (u32)p[3] << 24; }
static u16 le16(const u8 *p) { return (u16)(p[0] | p[1] << 8); }

int eltorito_brvd(const u8 *sec, u32 *catalog)
{
    static const char id[] = "\0CD001\1EL TORITO SPECIFICATION";
    for (unsigned i = 0; i < sizeof id - 1; i++)
        if (sec[i] != (u8)id[i])
            return ELTORITO_ENOBRVD;
    *catalog = le32(sec + 0x47);
    return 0;
}

int eltorito_catalog(const u8 *cat, struct eltorito_boot *b)
{
    if (cat[0] != 1)
        return ELTORITO_EBADHDR;
    if (cat[0x1e] != 0x55 || cat[0x1f] != 0xaa)
        return ELTORITO_EBADKEY;
    u16 sum = 0;
    for (int i = 0; i < 32; i += 2)
        sum += le16(cat + i);
    if (sum != 0)
        return ELTORITO_ESUM;
    const u8 *e = cat + 32; /* the initial/default entry */
    if (e[0] != 0x88)
        return ELTORITO_ENOTBOOT;
    b->media = e[1] & 15;
    if (b->media > ELTORITO_HD)
        return ELTORITO_EMEDIA;
    b->load_seg = le16(e + 2);
    b->sector_count = le16(e + 6);
    b->load_rba = le32(e + 8);
    return 0;
}

const char *eltorito_error(int code)
{
    switch (code) {
    case ELTORITO_EBADHDR: return "boot catalog: the validation entry's header ID is not 1";
    case ELTORITO_EBADKEY: return "boot catalog: the validation entry lacks the 55h AAh key";
    case ELTORITO_ESUM: return "boot catalog: the validation entry's checksum is not 0";
    case ELTORITO_ENOTBOOT: return "boot catalog: the default entry is not bootable (88h)";
    case ELTORITO_EMEDIA: return "boot catalog: unknown emulation type";
    default: return "not an El Torito CD (no boot record volume descriptor at sector 17)";
    }
}
