/* dma.c - the IDE bus master guarded against DMA into the hv.
 *
 * Without an IOMMU a bus master writes wherever its guest points it, EPT
 * or not. The one a BIOS-era guest drives is the legacy IDE controller's
 * (PIIX3/PIIX4 on the i440FX that Bochs and QEMU emulate, ICH on later
 * PCs): its bus-master registers are 16 I/O ports at BAR4 (BMIBA) of the
 * IDE function, 8 a channel (Intel PIIX4 datasheet, "Bus Master IDE I/O
 * Registers"):
 *   +0 command: bit 0 START, bit 3 direction (1: the device writes memory)
 *   +2 status:  bit 0 active, bit 1 error, bit 2 interrupt (1 and 2 clear on writing 1)
 *   +4 the physical address of the PRD table: entries of a 32-bit address,
 *      a 16-bit byte count (0 = 64 KiB) and bit 31 of the second dword EOT.
 * The hv traps those ports (and PCI configuration writes, in case the guest
 * moves BAR4). On START it walks the guest's PRD table; if the table or any
 * region lies in the hv's pages it refuses the transfer: the controller
 * runs a copy of the table whose regions all point at a scratch buffer (so
 * the drive finishes its command and raises its interrupt, as it would),
 * and the guest reads the status register with the error bit set, as after
 * a PCI master abort, until it writes 1 to that bit. Counted as
 * blocked_dma and logged once. The other bus masters (NICs, the ISA DMA
 * controller) are not guarded (SECURITY.md). */
#include "hv.h"
#include "console.h"
#include "string.h"
#include "x86/asm.h"

#define PCI_CONFIG_ADDR 0xcf8
#define PCI_CONFIG_DATA 0xcfc
#define PCI_ENABLE (1u << 31)
#define PCI_CLASS_IDE 0x0101 /* mass storage, IDE */
#define PCI_VENDOR_INTEL 0x8086
#define PCI_BAR4 0x20
#define BM_COMMAND 0
#define BM_STATUS 2
#define BM_PRDT 4
#define BM_START (1u << 0)
#define BM_WRITE_MEMORY (1u << 3) /* the device writes memory: a disk read */
#define BM_ACTIVE (1u << 0)
#define BM_ERROR (1u << 1)
#define PRD_EOT (1u << 31)
#define PRD_MAX 8192 /* a 64 KiB table */
#define SHADOW_MAX 512

static void (*trap_port)(uint16_t port);
static uint32_t ide_config = ~0u; /* the IDE function's configuration address (bus, device, function), or ~0 */
static uint16_t bmiba;            /* 0: no bus master found */
static uint32_t prdt[2];          /* the guest's PRD table address, per channel */
static int refused[2];            /* the error bit the guest sees, per channel */
static uint64_t blocked;
static uint32_t shadow[2][SHADOW_MAX * 2] __attribute__((aligned(4096)));
static uint8_t bucket[0x10000] __attribute__((aligned(0x10000))); /* a PRD region must not cross 64 KiB */

static uint32_t pci_read(uint32_t addr)
{
    outl(PCI_CONFIG_ADDR, addr);
    return inl(PCI_CONFIG_DATA);
}

static void trap_bm_ports(void)
{
    for (unsigned i = 0; bmiba && trap_port && i < 16; i++)
        trap_port((uint16_t)(bmiba + i));
}

/* BAR4 of the IDE function, as the machine's firmware or the guest left it. */
static void read_bmiba(void)
{
    uint32_t bar = pci_read(ide_config | PCI_BAR4);
    bmiba = (bar & 1) && (bar & 0xfffc) ? (uint16_t)(bar & 0xfffc) : 0;
    for (unsigned ch = 0; bmiba && ch < 2; ch++)
        prdt[ch] = inl((uint16_t)(bmiba + 8 * ch + BM_PRDT));
    trap_bm_ports();
}

static void find_controller(void)
{
    for (uint32_t dev = 0; dev < 32 * 8; dev++) { /* bus 0: devices and functions */
        uint32_t addr = PCI_ENABLE | dev << 8;
        uint32_t id = pci_read(addr);
        if ((id & 0xffff) != PCI_VENDOR_INTEL || (pci_read(addr | 8) >> 16) != PCI_CLASS_IDE)
            continue;
        ide_config = addr;
        read_bmiba();
        if (bmiba)
            printk("vmxlab: IDE bus master at ports 0x%x-0x%x (PCI 00:%02x.%u): DMA into the hv is refused\n", bmiba,
                   bmiba + 15, dev >> 3, dev & 7);
        return;
    }
}

void dma_trap_ports(void (*trap)(uint16_t port))
{
    trap_port = trap;
    find_controller(); /* traps the bus-master ports it finds */
    for (unsigned i = 0; i < 4; i++)
        trap((uint16_t)(PCI_CONFIG_DATA + i));
}

uint64_t dma_blocked(void) { return blocked; }

static int touches_hv(uint64_t a, uint64_t len) { return a < hv.phys_end && a + len > hv.phys_start; }

static int in_ram(uint64_t a, uint64_t len)
{
    for (unsigned i = 0; i < hv.boot.n_ram; i++)
        if (a >= hv.boot.ram[i].base && a + len <= hv.boot.ram[i].base + hv.boot.ram[i].len)
            return 1;
    return 0;
}

/* Why the PRD table at `table` must not run, or NULL. The device reads
 * the table and moves the data by physical address: the hv reads the table
 * the same way (not through the EPT, which maps C0000-FFFFF elsewhere). */
static const char *prd_check(uint32_t table, uint32_t *bad, uint32_t *len)
{
    for (unsigned i = 0; i < PRD_MAX; i++) {
        uint32_t e = table + 8 * i;
        *bad = e, *len = 8;
        if (touches_hv(e, 8))
            return "the PRD table lies in the hv's memory";
        if (!in_ram(e, 8))
            return "the PRD table is not in RAM";
        const volatile uint32_t *p = (const volatile uint32_t *)(uintptr_t)e;
        uint32_t addr = p[0] & ~1u, count = p[1] & 0xfffe, flags = p[1];
        *bad = addr, *len = count ? count : 0x10000;
        if (touches_hv(addr, *len))
            return "a PRD region touches the hv's memory";
        if (flags & PRD_EOT)
            return 0;
    }
    return "the PRD table has no end-of-table entry in 64 KiB";
}

/* The copy the controller runs instead: the guest's byte counts, every region in the bucket. */
static uint32_t shadow_table(unsigned ch, uint32_t table)
{
    uint32_t *s = shadow[ch];
    uint32_t b = (uint32_t)virt_to_phys(bucket);
    unsigned i;
    for (i = 0; i < SHADOW_MAX; i++) {
        uint64_t e = table + 8ull * i;
        uint32_t flags = touches_hv(e, 8) || !in_ram(e, 8) ? PRD_EOT : ((const volatile uint32_t *)(uintptr_t)e)[1];
        s[2 * i] = b;
        s[2 * i + 1] = flags & (PRD_EOT | 0xfffe);
        if (flags & PRD_EOT)
            break;
    }
    if (i == SHADOW_MAX)
        s[2 * SHADOW_MAX - 1] |= PRD_EOT;
    return (uint32_t)virt_to_phys(s);
}

static void command_write(unsigned ch, uint16_t port, uint8_t val)
{
    uint16_t prd_port = (uint16_t)(bmiba + 8 * ch + BM_PRDT);
    if ((val & BM_START) && !(inb((uint16_t)(port + BM_STATUS)) & BM_ACTIVE)) {
        uint32_t bad, len;
        const char *why = prd_check(prdt[ch] & ~3u, &bad, &len);
        if (why) {
            if (!(val & BM_WRITE_MEMORY))
                memset(bucket, 0, sizeof bucket); /* a disk write gets zeros, never hv data */
            outl(prd_port, shadow_table(ch, prdt[ch] & ~3u));
            refused[ch] = 1;
            if (!blocked++)
                printk("vmxlab: refused the guest's IDE bus-master DMA (channel %u, PRD table 0x%x): %s (0x%x+0x%x, "
                       "the hv is at 0x%llx-0x%llx); the guest sees the error bit (logged once, counted as "
                       "blocked_dma)\n",
                       ch, prdt[ch] & ~3u, why, bad, len, (unsigned long long)hv.phys_start,
                       (unsigned long long)hv.phys_end);
        } else {
            outl(prd_port, prdt[ch]);
        }
    }
    outb(port, val);
}

/* One byte of a bus-master register access; in: returns the byte the guest sees. */
static uint8_t bm_byte(uint16_t port, int in, uint8_t val)
{
    unsigned off = port - bmiba, ch = off >> 3, reg = off & 7;
    if (reg >= BM_PRDT) { /* the guest's table address, kept here: the controller may be running a shadow */
        unsigned sh = 8 * (reg - BM_PRDT);
        if (in)
            return (uint8_t)(prdt[ch] >> sh);
        prdt[ch] = (prdt[ch] & ~(0xffu << sh)) | (uint32_t)val << sh;
        outl((uint16_t)(bmiba + 8 * ch + BM_PRDT), prdt[ch]);
        return 0;
    }
    if (in)
        return (uint8_t)(inb(port) | (reg == BM_STATUS && refused[ch] ? BM_ERROR : 0));
    if (reg == BM_STATUS && (val & BM_ERROR))
        refused[ch] = 0;
    if (reg == BM_COMMAND)
        command_write(ch, port, val);
    else
        outb(port, val);
    return 0;
}

/* A trapped IN or OUT: 1 when it was a bus-master or PCI configuration port (done). */
int dma_io(uint16_t port, int in, unsigned size, uint32_t *val)
{
    if (port >= PCI_CONFIG_DATA && port < PCI_CONFIG_DATA + 4) {
        if (in) {
            *val = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
            return 1;
        }
        uint32_t addr = inl(PCI_CONFIG_ADDR);
        if (size == 1)
            outb(port, (uint8_t)*val);
        else if (size == 2)
            outw(port, (uint16_t)*val);
        else
            outl(port, *val);
        if ((addr & ~0xffu) == ide_config && (addr & 0xfc) == PCI_BAR4) {
            read_bmiba(); /* the guest moved the bus master: trap its new ports too */
            outl(PCI_CONFIG_ADDR, addr);
        }
        return 1;
    }
    if (!bmiba || port < bmiba || port >= bmiba + 16)
        return 0;
    uint32_t v = 0;
    for (unsigned i = 0; i < size; i++) {
        uint16_t p = (uint16_t)(port + i);
        if (p >= bmiba + 16)
            break;
        v |= (uint32_t)bm_byte(p, in, (uint8_t)(*val >> (8 * i))) << (8 * i);
    }
    if (in)
        *val = v;
    return 1;
}
