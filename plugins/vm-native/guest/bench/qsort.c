/* Bench kernel: quicksort of 20000 pseudo-random integers, five times. */
#include "libc.h"

/* argv[1] multiplies the work (qemu-sh4 runs it longer to be timed; osvm passes no arguments) */
static int scale(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 1;
}

#define N 20000
static int32_t v[N];

static void quicksort(int32_t *a, int lo, int hi) {
    while (lo < hi) {
        int32_t pivot = a[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (a[i] < pivot) i++;
            while (a[j] > pivot) j--;
            if (i <= j) {
                int32_t t = a[i];
                a[i++] = a[j];
                a[j--] = t;
            }
        }
        if (j - lo < hi - i) {
            quicksort(a, lo, j);
            lo = i;
        } else {
            quicksort(a, i, hi);
            hi = j;
        }
    }
}

int main(int argc, char **argv) {
    uint32_t seed = 1, sum = 0;
    for (int round = 0; round < 5 * scale(argc, argv); round++) {
        for (int i = 0; i < N; i++) {
            seed = seed * 1664525u + 1013904223u;
            v[i] = (int32_t)(seed >> 1);
        }
        quicksort(v, 0, N - 1);
        sum += (uint32_t)v[N / 2];
    }
    printf("qsort: median sum %08x\n", sum);
    return 0;
}
