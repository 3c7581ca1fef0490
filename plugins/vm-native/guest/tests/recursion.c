/* Deep and branching recursion: a 3000-deep chain, Fibonacci, Ackermann, mutual recursion, Hanoi. */
#include "libc.h"

static int depth_max;

static uint32_t chain(int n, int depth) {           /* not a tail call: the stack really grows */
    if (depth > depth_max)
        depth_max = depth;
    if (n == 0)
        return 1;
    uint32_t below = chain(n - 1, depth + 1);
    return below * 3 + (uint32_t)n;
}

static uint32_t fib(int n) {
    return n < 2 ? (uint32_t)n : fib(n - 1) + fib(n - 2);
}

static uint32_t ackermann(uint32_t m, uint32_t n) {
    if (m == 0) return n + 1;
    if (n == 0) return ackermann(m - 1, 1);
    return ackermann(m - 1, ackermann(m, n - 1));
}

static int is_odd(unsigned n);
static int is_even(unsigned n) { return n == 0 ? 1 : is_odd(n - 1); }
static int is_odd(unsigned n) { return n == 0 ? 0 : is_even(n - 1); }

static uint32_t moves;
static void hanoi(int n, int from, int to, int via, uint32_t *trace) {
    if (n == 0) return;
    hanoi(n - 1, from, via, to, trace);
    moves++;
    *trace = *trace * 7 + (uint32_t)(from * 3 + to);
    hanoi(n - 1, via, to, from, trace);
}

static int64_t sum_to(int64_t n) { return n == 0 ? 0 : n + sum_to(n - 1); }

int main(void) {
    uint32_t c = chain(3000, 1);
    printf("chain(3000) = %08x, depth %d\n", c, depth_max);
    for (int n = 0; n <= 22; n += 2)
        printf("fib(%d) = %u\n", n, fib(n));
    printf("ackermann(2, 3) = %u, ackermann(3, 3) = %u\n", ackermann(2, 3), ackermann(3, 3));
    printf("is_even(1001) = %d, is_odd(1001) = %d\n", is_even(1001), is_odd(1001));
    uint32_t trace = 0;
    hanoi(12, 1, 3, 2, &trace);
    printf("hanoi(12): %u moves, trace %08x\n", moves, trace);
    printf("sum_to(2000) = %lld\n", sum_to(2000));
    uint32_t digest = c ^ fib(22) ^ trace ^ moves;
    printf("digest %08x\n", digest);
    return digest & 0x7F;
}
