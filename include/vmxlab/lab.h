/* lab.h - the course lab's exercise stubs (labs/README.md).
 *
 * The solution of an exercise sits between marker comments:
 *     LAB n: BEGIN exercise k (title)   ...   LAB n: END
 * `make lab LAB=n` (tools/lab.py) writes a student tree in which the regions
 * of lab n and of later labs are replaced by a call to lab_missing(): the
 * tree builds, and the first time the running code needs the exercise it
 * stops with one line naming it and the status below. */
#ifndef VMXLAB_LAB_H
#define VMXLAB_LAB_H

/* The power-off status of a run that reached a missing exercise (the hv's
 * and vmxassist's; the host unit tests exit with it). */
#define VMXLAB_STATUS_LAB_MISSING 0x76

#ifdef HOST_TEST
#include <stdio.h>
#include <stdlib.h>
static inline __attribute__((noreturn, unused)) void lab_missing(int lab, int exercise, const char *title)
{
    printf("vmxlab: error: LAB %d exercise %d (%s) not done\n", lab, exercise, title);
    fflush(stdout);
    exit(VMXLAB_STATUS_LAB_MISSING);
}
#else
/* Prints "<component>: error: LAB n exercise k (title) not done" and powers off. */
__attribute__((noreturn)) void lab_missing(int lab, int exercise, const char *title);
#endif

#endif
