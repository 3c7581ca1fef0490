/* Bench kernel: the sieve of Eratosthenes up to 60000, eight times. */
#include "libc.h"

/* argv[1] multiplies the work (qemu-sh4 runs it longer to be timed; osvm passes no arguments) */
static int scale(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 1;
}

static unsigned char composite[60001];

int main(int argc, char **argv) {
    int count = 0;
    for (int round = 0; round < 8 * scale(argc, argv); round++) {
        memset(composite, 0, sizeof composite);
        count = 0;
        for (int i = 2; i <= 60000; i++) {
            if (composite[i])
                continue;
            count++;
            for (int j = i * 2; j <= 60000; j += i)
                composite[j] = 1;
        }
    }
    printf("sieve: %d primes below 60000\n", count);
    return 0;
}
