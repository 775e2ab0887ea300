/* fbhash.c - checks the hv's framebuffer against the host renderer.
 *
 * Usage: build/fbhash LOG
 * Reads the hv's power-off lines from a COM1 log (hv/fb.c):
 *   vmxlab-fb: WxHxBPP rgb RP:RS,GP:GS,BP:BS cursor N shape S-E hash 0xH
 *   vmxlab-fb-row NN: CCCC CCCC ... (80 cells: character | attribute << 8)
 * draws the same cells into a black framebuffer of that format with
 * hv/fbrender.c and lib/font.c, as the hv did into the real one after
 * clearing it, and compares the hashes. Exit status 0 when they match, 1
 * when they differ, 2 when the log has no such lines. */
#include "fbrender.h"
#include "font.h"
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv)
{
    if (argc != 2 || !strcmp(argv[1], "-h") || !strcmp(argv[1], "--help")) {
        fprintf(argc == 2 ? stdout : stderr, "usage: fbhash LOG (a COM1 log with the hv's vmxlab-fb lines)\n");
        return argc == 2 ? 0 : 2;
    }
    FILE *f = fopen(argv[1], "r");
    if (!f) {
        perror(argv[1]);
        return 2;
    }
    static uint16_t cells[80 * 25];
    struct fb_surface s = { 0 };
    unsigned w = 0, h = 0, bpp = 0, rp, rs, gp, gs, bp, bs, cursor = 0, cs = 0, ce = 0, rows = 0;
    unsigned long long want = 0;
    int have = 0;
    char line[1024];
    while (fgets(line, sizeof line, f)) {
        char *p = strstr(line, "vmxlab-fb: ");
        unsigned r;
        int off;
        if (p && sscanf(p, "vmxlab-fb: %ux%ux%u rgb %u:%u,%u:%u,%u:%u cursor %u shape %u-%u hash 0x%llx", &w, &h, &bpp,
                        &rp, &rs, &gp, &gs, &bp, &bs, &cursor, &cs, &ce, &want) == 13) {
            have = 1, rows = 0;
            s = (struct fb_surface){ 0,           0,           w,           h,           (uint8_t)bpp, (uint8_t)rp,
                                     (uint8_t)rs, (uint8_t)gp, (uint8_t)gs, (uint8_t)bp, (uint8_t)bs };
        } else if ((p = strstr(line, "vmxlab-fb-row ")) && sscanf(p, "vmxlab-fb-row %u:%n", &r, &off) == 1 && r < 25) {
            p += off;
            for (unsigned i = 0; i < 80; i++) {
                unsigned v;
                int n;
                if (sscanf(p, " %x%n", &v, &n) != 1)
                    break;
                cells[r * 80 + i] = (uint16_t)v;
                p += n;
            }
            rows++;
        }
    }
    fclose(f);
    if (!have || rows != 25) {
        fprintf(stderr, "fbhash: %s has no vmxlab-fb line with 25 vmxlab-fb-row lines after it\n", argv[1]);
        return 2;
    }
    struct fb_view v;
    if (fb_layout(&s, 80, 25, &v)) {
        fprintf(stderr, "fbhash: the hv's framebuffer format %ux%ux%u cannot be drawn\n", w, h, bpp);
        return 2;
    }
    s.pitch = w * v.bytes_pp;
    s.base = calloc(1, (size_t)s.pitch * h);
    uint16_t shadow[80 * 25];
    unsigned shadow_cursor = 80 * 25;
    struct text_screen t = { cells, cursor, (uint8_t)cs, (uint8_t)ce };
    fb_render(&s, &v, &t, shadow, &shadow_cursor, 1, font8x16);
    unsigned long long got = fb_hash(&s);
    free(s.base);
    printf("fbhash: %ux%ux%u: the host renderer's hash 0x%llx, the hv's 0x%llx: %s\n", w, h, bpp, got, want,
           got == want ? "they match" : "they DIFFER");
    return got == want ? 0 : 1;
}
