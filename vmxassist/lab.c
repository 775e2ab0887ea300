/* lab.c - what a missing lab exercise does in vmxassist (include/vmxlab/lab.h). */
#include "vmxlab/guest.h"
#include "vmxlab/lab.h"

void lab_missing(int lab, int exercise, const char *title)
{
    gprintf("vmxassist: error: LAB %d exercise %d (%s) not done\n", lab, exercise, title);
    guest_power_off(VMXLAB_STATUS_LAB_MISSING);
}
