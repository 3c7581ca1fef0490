/* Bench kernel: 40x40 integer matrix products, four times. */
#include "libc.h"

/* argv[1] multiplies the work (qemu-sh4 runs it longer to be timed; osvm passes no arguments) */
static int scale(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 1;
}

#define N 40
static int32_t a[N][N], b[N][N], c[N][N];

int main(int argc, char **argv) {
    for (int i = 0; i < N; i++)
        for (int j = 0; j < N; j++) {
            a[i][j] = (i * 7 + j * 3) % 17 - 8;
            b[i][j] = (i * 5 + j * 11) % 13 - 6;
        }
    int32_t trace = 0;
    for (int round = 0; round < 4 * scale(argc, argv); round++) {
        for (int i = 0; i < N; i++)
            for (int j = 0; j < N; j++) {
                int32_t s = 0;
                for (int k = 0; k < N; k++)
                    s += a[i][k] * b[k][j];
                c[i][j] = s;
            }
        for (int i = 0; i < N; i++) {
            trace += c[i][i];
            a[i][(i + round) % N] += 1;
        }
    }
    printf("matmul: trace %d\n", trace);
    return 0;
}
