/* 64-bit arithmetic: multiply (DMULU/DMULS), add/sub with carry, shifts, comparisons, widening products. */
#include "libc.h"

static uint64_t state = 0x0123456789ABCDEFull;
static uint64_t next(void) {               /* xorshift64* */
    state ^= state >> 12;
    state ^= state << 25;
    state ^= state >> 27;
    return state * 0x2545F4914F6CDD1Dull;
}

int main(void) {
    uint64_t digest = 0xCBF29CE484222325ull;
    for (int i = 0; i < 40; i++) {
        uint64_t a = next(), b = next();
        int64_t sa = (int64_t)a >> (i % 40), sb = (int64_t)b >> ((i * 7) % 50);
        uint64_t prod = a * b;
        int64_t sprod = (int64_t)((uint64_t)sa * (uint64_t)sb);
        uint32_t a32 = (uint32_t)a, b32 = (uint32_t)b;
        uint64_t wide = (uint64_t)a32 * b32;                    /* dmulu.l */
        int64_t swide = (int64_t)(int32_t)a32 * (int32_t)b32;  /* dmuls.l */
        printf("%016llx * %016llx = %016llx\n", a, b, prod);
        printf("  %lld * %lld = %lld\n", sa, sb, sprod);
        printf("  wide %llu swide %lld  + %016llx - %016llx\n", wide, swide, a + b, a - b);
        printf("  shl %016llx shr %016llx sar %016llx  cmp %d %d\n", a << (i % 64), a >> (i % 64),
               (uint64_t)(sa >> (i % 64)), a < b, sa < sb);
        digest = (digest ^ prod) * 0x100000001B3ull;
        digest = (digest ^ wide ^ (uint64_t)swide) * 0x100000001B3ull;
    }
    uint64_t fact = 1;
    for (int n = 1; n <= 25; n++) {                              /* wraps past 20! */
        fact *= (uint64_t)n;
        printf("%d! = %llu\n", n, fact);
        digest = (digest ^ fact) * 0x100000001B3ull;
    }
    uint64_t fib_a = 0, fib_b = 1;
    for (int n = 0; n < 90; n++) {
        uint64_t t = fib_a + fib_b;
        fib_a = fib_b;
        fib_b = t;
    }
    printf("fib(90) = %llu\n", fib_a);
    printf("digest %016llx\n", digest);
    return (int)(digest & 0x7F);
}
