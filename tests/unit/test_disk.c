/* test_disk.c - rombios/diskgeom.c: INT 13h CHS <-> LBA, the geometry a
 * floppy image or a hard disk gets, and El Torito catalog parsing. */
#include "check.h"
#include "../../rombios/diskgeom.h"

static void chs_round_trips_every_sector_of_a_144m_floppy(void)
{
    struct chs g = { 80, 2, 18 };
    for (u32 lba = 0; lba < 2880; lba++) {
        u16 c, h, s;
        u32 back;
        lba_to_chs(&g, lba, &c, &h, &s);
        CHECK(chs_to_lba(&g, c, h, s, &back) == 0 && back == lba, "lba %u -> %u/%u/%u -> %u", lba, c, h, s, back);
    }
}

static void chs_follows_the_int13_numbering(void)
{
    struct chs g = { 1024, 16, 63 };
    u32 lba = 99;
    CHECK_EQ(chs_to_lba(&g, 0, 0, 1, &lba), 0);
    CHECK_EQ(lba, 0);
    CHECK_EQ(chs_to_lba(&g, 0, 1, 1, &lba), 0);
    CHECK_EQ(lba, 63); /* the next head, not the next cylinder */
    CHECK_EQ(chs_to_lba(&g, 1, 0, 1, &lba), 0);
    CHECK_EQ(lba, 16 * 63);
    CHECK_EQ(chs_to_lba(&g, 1023, 15, 63, &lba), 0);
    CHECK_EQ(lba, 1024u * 16 * 63 - 1);
}

static void chs_rejects_sector_0_and_out_of_range_values(void)
{
    struct chs g = { 80, 2, 18 };
    u32 lba;
    CHECK_EQ(chs_to_lba(&g, 0, 0, 0, &lba), (u64)-1);
    CHECK_EQ(chs_to_lba(&g, 0, 0, 19, &lba), (u64)-1);
    CHECK_EQ(chs_to_lba(&g, 0, 2, 1, &lba), (u64)-1);
    CHECK_EQ(chs_to_lba(&g, 80, 0, 1, &lba), (u64)-1);
}

static void floppy_sizes_give_the_standard_formats(void)
{
    static const struct {
        u32 bytes;
        u8 type;
        u16 c, h, s;
    } t[] = {
        { 368640, 1, 40, 2, 9 },   { 737280, 3, 80, 2, 9 },   { 1228800, 2, 80, 2, 15 },
        { 1474560, 4, 80, 2, 18 }, { 1720320, 4, 80, 2, 21 }, { 2949120, 5, 80, 2, 36 },
    };
    for (unsigned i = 0; i < sizeof t / sizeof t[0]; i++) {
        struct chs g = { 0, 0, 0 };
        CHECK_EQ(floppy_geom_by_size(t[i].bytes, &g), t[i].type);
        CHECK(g.cyls == t[i].c && g.heads == t[i].h && g.spt == t[i].s, "%u bytes: %u/%u/%u", t[i].bytes, g.cyls,
              g.heads, g.spt);
    }
    struct chs g;
    CHECK_EQ(floppy_geom_by_size(1474560 + 512, &g), 0);
}

static void floppy_cmos_types_give_their_default_formats(void)
{
    struct chs g;
    CHECK(floppy_geom_by_type(4, &g) && g.spt == 18 && g.cyls == 80, "1.44M: spt %u", g.spt);
    CHECK(floppy_geom_by_type(5, &g) && g.spt == 36, "2.88M: spt %u", g.spt);
    CHECK(floppy_geom_by_type(3, &g) && g.spt == 9 && g.cyls == 80, "720K: spt %u", g.spt);
    CHECK(floppy_geom_by_type(1, &g) && g.spt == 9 && g.cyls == 40, "360K: cyls %u", g.cyls);
    CHECK_EQ(floppy_geom_by_type(0, &g), 0);
    CHECK_EQ(floppy_geom_by_type(6, &g), 0);
}

static void hd_geometry_without_partitions_is_16_or_255_heads(void)
{
    struct chs g;
    hd_geom_guess(4032, 0, &g);
    CHECK(g.cyls == 4 && g.heads == 16 && g.spt == 63, "4032: %u/%u/%u", g.cyls, g.heads, g.spt);
    hd_geom_guess(2u * 1024 * 1024 * 2, 0, &g); /* 2 GiB */
    CHECK(g.heads == 255 && g.spt == 63 && g.cyls == 261, "2 GiB: %u/%u/%u", g.cyls, g.heads, g.spt);
    hd_geom_guess(0xffffffffu, 0, &g);
    CHECK_EQ(g.cyls, 1024); /* INT 13h 08h cannot say more */
    hd_geom_guess(10, 0, &g);
    CHECK_EQ(g.cyls, 1); /* a tiny image still has one cylinder */
}

static void hd_geometry_follows_the_partition_table(void)
{
    u8 mbr[512] = { 0 };
    mbr[510] = 0x55, mbr[511] = 0xaa;
    u8 *p = mbr + 0x1be + 16; /* the second entry: the first is empty */
    p[4] = 0x83;              /* type */
    p[5] = 63;                /* end head: 64 heads */
    p[6] = 0xc0 | 32;         /* end sector 32, cylinder bits 9-8 set */
    struct chs g;
    hd_geom_guess(64 * 32 * 100, mbr, &g);
    CHECK(g.cyls == 100 && g.heads == 64 && g.spt == 32, "%u/%u/%u", g.cyls, g.heads, g.spt);
    mbr[511] = 0; /* no signature: the table does not count */
    hd_geom_guess(64 * 32 * 100, mbr, &g);
    CHECK_EQ(g.heads, 16);
}

/* A boot catalog as xorriso writes it; entry fields per El Torito 1.0 2.1-2.2. */
static void make_catalog(u8 *cat, u8 media, u16 seg, u16 count, u32 rba)
{
    memset(cat, 0, 2048);
    cat[0] = 1;
    memcpy(cat + 4, "vmxlab", 6);
    cat[0x1e] = 0x55, cat[0x1f] = 0xaa;
    u16 sum = 0;
    for (int i = 0; i < 32; i += 2)
        sum += (u16)(cat[i] | cat[i + 1] << 8);
    sum = (u16)-sum;
    cat[0x1c] = (u8)sum, cat[0x1d] = (u8)(sum >> 8);
    u8 *e = cat + 32;
    e[0] = 0x88, e[1] = media, e[2] = (u8)seg, e[3] = (u8)(seg >> 8), e[6] = (u8)count, e[7] = (u8)(count >> 8);
    e[8] = (u8)rba, e[9] = (u8)(rba >> 8), e[10] = (u8)(rba >> 16), e[11] = (u8)(rba >> 24);
}

static void eltorito_catalog_gives_the_default_entry(void)
{
    static u8 cat[2048];
    struct eltorito_boot b;
    make_catalog(cat, ELTORITO_NOEMUL, 0, 4, 34);
    CHECK_EQ(eltorito_catalog(cat, &b), 0);
    CHECK(b.media == 0 && b.load_seg == 0 && b.sector_count == 4 && b.load_rba == 34, "media %u seg %x count %u rba %u",
          b.media, b.load_seg, b.sector_count, b.load_rba);
    make_catalog(cat, ELTORITO_FD144, 0x1000, 1, 0x12345);
    CHECK_EQ(eltorito_catalog(cat, &b), 0);
    CHECK(b.media == ELTORITO_FD144 && b.load_seg == 0x1000 && b.load_rba == 0x12345, "media %u", b.media);
}

static void eltorito_catalog_rejects_bad_validation_entries(void)
{
    static u8 cat[2048];
    struct eltorito_boot b;
    make_catalog(cat, 0, 0, 4, 34);
    cat[4] ^= 1; /* checksum no longer 0 */
    CHECK_EQ(eltorito_catalog(cat, &b), (u64)ELTORITO_ESUM);
    CHECK(strlen(eltorito_error(ELTORITO_ESUM)) > 10, "a message for each code");
    make_catalog(cat, 0, 0, 4, 34);
    cat[0x1f] = 0;
    CHECK_EQ(eltorito_catalog(cat, &b), (u64)ELTORITO_EBADKEY);
    make_catalog(cat, 0, 0, 4, 34);
    cat[0] = 0;
    CHECK_EQ(eltorito_catalog(cat, &b), (u64)ELTORITO_EBADHDR);
    make_catalog(cat, 0, 0, 4, 34);
    cat[32] = 0; /* not bootable */
    CHECK_EQ(eltorito_catalog(cat, &b), (u64)ELTORITO_ENOTBOOT);
    make_catalog(cat, 7, 0, 4, 34);
    CHECK_EQ(eltorito_catalog(cat, &b), (u64)ELTORITO_EMEDIA);
}

static void eltorito_brvd_needs_the_exact_identifier(void)
{
    static u8 sec[2048];
    u32 catalog = 0;
    memcpy(sec, "\0CD001\1EL TORITO SPECIFICATION", 30);
    sec[0x47] = 0x21, sec[0x48] = 0x01; /* catalog at sector 121h */
    CHECK_EQ(eltorito_brvd(sec, &catalog), 0);
    CHECK_EQ(catalog, 0x121);
    sec[0] = 1; /* a primary volume descriptor, not a boot record */
    CHECK_EQ(eltorito_brvd(sec, &catalog), (u64)ELTORITO_ENOBRVD);
}

int main(void)
{
    RUN(chs_round_trips_every_sector_of_a_144m_floppy);
    RUN(chs_follows_the_int13_numbering);
    RUN(chs_rejects_sector_0_and_out_of_range_values);
    RUN(floppy_sizes_give_the_standard_formats);
    RUN(floppy_cmos_types_give_their_default_formats);
    RUN(hd_geometry_without_partitions_is_16_or_255_heads);
    RUN(hd_geometry_follows_the_partition_table);
    RUN(eltorito_catalog_gives_the_default_entry);
    RUN(eltorito_catalog_rejects_bad_validation_entries);
    RUN(eltorito_brvd_needs_the_exact_identifier);
    return check_summary();
}
