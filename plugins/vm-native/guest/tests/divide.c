/* Division and remainder, signed and unsigned, 32- and 64-bit (libgcc), by constants and variables. */
#include "libc.h"

static uint32_t digest = 2166136261u;
static void mix(uint32_t v) {
    for (int i = 0; i < 4; i++, v >>= 8)
        digest = (digest ^ (v & 0xFF)) * 16777619u;
}

int main(void) {
    int32_t a_values[] = {0, 1, -1, 7, -7, 100, -100, 12345, -12345, 0x7FFFFFFF,
                          (int32_t)0x80000001, 1000000007, -999999937, 65536};
    int32_t b_values[] = {1, -1, 2, -2, 3, -3, 7, 10, -10, 255, 65536, 1000003, -1000003, 0x7FFFFFFF};
    int na = sizeof a_values / sizeof a_values[0], nb = sizeof b_values / sizeof b_values[0];
    for (int i = 0; i < na; i++) {
        for (int j = 0; j < nb; j++) {
            volatile int32_t a = a_values[i], b = b_values[j];
            int32_t q = a / b, r = a % b;
            uint32_t uq = (uint32_t)a / (uint32_t)b, ur = (uint32_t)a % (uint32_t)b;
            printf("%d / %d = %d r %d   u: %u r %u\n", a, b, q, r, uq, ur);
            mix((uint32_t)q), mix((uint32_t)r), mix(uq), mix(ur);
        }
    }
    for (int i = 0; i < na; i++) {                 /* by constants: multiply-high sequences */
        int32_t a = a_values[i];
        uint32_t u = (uint32_t)a;
        printf("const %d: /3 %d /7 %d /10 %d %%10 %d u/10 %u u/1000 %u\n", a, a / 3, a / 7, a / 10, a % 10,
               u / 10, u / 1000);
        mix((uint32_t)(a / 7)), mix(u / 1000);
    }
    int64_t big[] = {0, 1, -1, 1000000000000LL, -1000000000000LL, 0x7FFFFFFFFFFFFFFFLL,
                     -0x7FFFFFFFFFFFFFFFLL, 1234567890123456789LL, 4294967296LL, 4294967295LL};
    int64_t div[] = {1, -1, 3, 10, -10, 4294967296LL, 1000000007LL, -77777777777LL};
    for (unsigned i = 0; i < sizeof big / sizeof big[0]; i++) {
        for (unsigned j = 0; j < sizeof div / sizeof div[0]; j++) {
            volatile int64_t a = big[i], b = div[j];
            int64_t q = a / b, r = a % b;
            uint64_t uq = (uint64_t)a / (uint64_t)b, ur = (uint64_t)a % (uint64_t)b;
            printf("%lld / %lld = %lld r %lld  u: %llu r %llu\n", a, b, q, r, uq, ur);
            mix((uint32_t)q), mix((uint32_t)(q >> 32)), mix((uint32_t)ur);
        }
    }
    uint32_t x = 0xFFFFFFFFu;
    int steps = 0;
    while (x) {                                     /* repeated division */
        x /= 3;
        steps++;
    }
    printf("steps %d\n", steps);
    printf("digest %08x\n", digest);
    return digest & 0x7F;
}
