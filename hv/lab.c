/* lab.c - what a missing lab exercise does in the hv (include/vmxlab/lab.h). */
#include "hv.h"
#include "vmxlab/lab.h"

void lab_missing(int lab, int exercise, const char *title)
{
    hv_fatal(VMXLAB_STATUS_LAB_MISSING, "LAB %d exercise %d (%s) not done", lab, exercise, title);
}
