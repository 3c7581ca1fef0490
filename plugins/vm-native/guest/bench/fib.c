/* Bench kernel: naive recursive Fibonacci (calls and returns, stack traffic). */
#include "libc.h"

/* argv[1] multiplies the work (qemu-sh4 runs it longer to be timed; osvm passes no arguments) */
static int scale(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 1;
}

static uint32_t fib(int n) {
    return n < 2 ? (uint32_t)n : fib(n - 1) + fib(n - 2);
}

int main(int argc, char **argv) {
    uint32_t f = 0;
    for (int round = 0; round < scale(argc, argv); round++)
        f += fib(25);
    printf("fib: fib(25) = %u\n", f);
    return 0;
}
