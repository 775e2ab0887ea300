/* apm.c - the APM BIOS, INT 15h AH=53h (Advanced Power Management BIOS
 * Interface Specification 1.2): the real-mode interface only, so that DOS-era
 * shutdown tools work. Power-off (5307h, all devices, state off) is the ACPI
 * S5 write acpi.c does: the hv traps it on its machine, Bochs and QEMU power
 * off on it without the hv. The protected-mode interfaces are refused. */
#include "rombios.h"

#define APM_VERSION 0x0102
#define APM_DEV_BIOS 0x0000
#define APM_DEV_ALL 0x0001
#define APM_STATE_READY 0x0000
#define APM_STATE_OFF 0x0003

/* Error codes (AH, with CF set). */
#define APM_ERR_CONNECTED 0x02
#define APM_ERR_NOT_CONNECTED 0x03
#define APM_ERR_PM16_UNSUPPORTED 0x06
#define APM_ERR_PM32_UNSUPPORTED 0x08
#define APM_ERR_BAD_DEVICE 0x09
#define APM_ERR_BAD_PARAM 0x0a
#define APM_ERR_UNSUPPORTED 0x0c
#define APM_ERR_CANNOT_ENTER 0x60

static u8 connected; /* the real-mode interface is connected */

static void fail(struct bregs *r, u8 err)
{
    r->ah = err;
    set_cf(r, 1);
}

static void ok(struct bregs *r) { set_cf(r, 0); }

/* 5307h: BX = device, CX = state. */
static void apm_set_state(struct bregs *r)
{
    if (r->bx != APM_DEV_ALL) {
        fail(r, APM_ERR_BAD_DEVICE);
        return;
    }
    if (r->cx == APM_STATE_READY) {
        ok(r);
        return;
    }
    if (r->cx != APM_STATE_OFF) { /* standby and suspend: vmxlab has no sleep states */
        fail(r, r->cx <= 2 ? APM_ERR_CANNOT_ENTER : APM_ERR_BAD_PARAM);
        return;
    }
    dprintf(1, "rombios: APM power-off: ACPI S5\n");
    acpi_power_off(); /* returns only when the machine did not power off */
    fail(r, APM_ERR_CANNOT_ENTER);
}

void apm_bios(struct bregs *r)
{
    if (r->al >= 0x05 && r->al <= 0x0f && !connected) { /* these need a connected interface */
        fail(r, APM_ERR_NOT_CONNECTED);
        return;
    }
    switch (r->al) {
    case 0x00: /* installation check: AH.AL = version, BX = "PM", CX = flags (no PM interfaces) */
        if (r->bx != APM_DEV_BIOS) {
            fail(r, APM_ERR_BAD_DEVICE);
            return;
        }
        r->ax = APM_VERSION;
        r->bx = 0x504d; /* 'P' in BH, 'M' in BL */
        r->cx = 0;
        ok(r);
        return;
    case 0x01: /* real-mode interface connect */
    case 0x04: /* disconnect */
        if (r->bx != APM_DEV_BIOS) {
            fail(r, APM_ERR_BAD_DEVICE);
            return;
        }
        if (connected == (r->al == 0x01)) {
            fail(r, connected ? APM_ERR_CONNECTED : APM_ERR_NOT_CONNECTED);
            return;
        }
        connected = r->al == 0x01;
        ok(r);
        return;
    case 0x02: fail(r, APM_ERR_PM16_UNSUPPORTED); return;
    case 0x03: fail(r, APM_ERR_PM32_UNSUPPORTED); return;
    case 0x05: /* CPU idle: wait for the next interrupt */
        sti_hlt();
        ok(r);
        return;
    case 0x06: /* CPU busy */ ok(r); return;
    case 0x07: apm_set_state(r); return;
    case 0x08: /* enable/disable power management: BX = device, CX = 0/1 */
    case 0x0d: /* the same per device */
    case 0x0f: /* engage/disengage */
        if (r->bx != APM_DEV_ALL && r->bx != 0xffff && !(r->al == 0x0d && r->bx == APM_DEV_BIOS)) {
            fail(r, APM_ERR_BAD_DEVICE);
            return;
        }
        if (r->cx > 1) {
            fail(r, APM_ERR_BAD_PARAM);
            return;
        }
        ok(r);
        return;
    case 0x0e: /* driver version: CX = the driver's; AX = the one in effect */
        if (r->bx != APM_DEV_BIOS) {
            fail(r, APM_ERR_BAD_DEVICE);
            return;
        }
        r->ax = r->cx < APM_VERSION ? r->cx : APM_VERSION;
        ok(r);
        return;
    default: fail(r, APM_ERR_UNSUPPORTED);
    }
}
