/* Bench kernel: string and memory routines of the runtime (memcpy, memset, strlen, strcmp). */
#include "libc.h"

/* argv[1] multiplies the work (qemu-sh4 runs it longer to be timed; osvm passes no arguments) */
static int scale(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 1;
}

static char a[4096], b[4096];

int main(int argc, char **argv) {
    uint32_t total = 0;
    for (int round = 0; round < 60 * scale(argc, argv); round++) {
        memset(a, 'a' + round % 26, sizeof a - 1);
        a[sizeof a - 1 - round % 60] = 0;
        memcpy(b, a, sizeof a);
        total += (uint32_t)strlen(b) + (uint32_t)(strcmp(a, b) == 0);
        b[100 + round % 60] = 'Z';
        total += (uint32_t)(strcmp(a, b) < 0);
    }
    printf("strops: %u\n", total);
    return 0;
}
