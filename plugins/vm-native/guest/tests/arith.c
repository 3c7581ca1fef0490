/* Integer arithmetic: add/sub/mul with wrap-around, shifts (SHAD/SHLD), comparisons, sign and zero extension. */
#include "libc.h"

static uint32_t state = 12345;
static uint32_t next(void) {             /* a 32-bit LCG: the same sequence everywhere */
    state = state * 1664525u + 1013904223u;
    return state;
}

static uint32_t digest = 2166136261u;     /* FNV-1a over every result, the exit status */
static void mix(uint32_t v) {
    for (int i = 0; i < 4; i++, v >>= 8)
        digest = (digest ^ (v & 0xFF)) * 16777619u;
}

int main(void) {
    int32_t samples[] = {0, 1, -1, 2, -2, 7, -7, 100, -100, 32767, -32768, 65535,
                         0x7FFFFFFF, (int32_t)0x80000000, 123456789, -987654321};
    int n = sizeof samples / sizeof samples[0];
    for (int i = 0; i < n; i++) {
        for (int j = 0; j < n; j += 3) {
            int32_t a = samples[i], b = samples[j];
            uint32_t sum = (uint32_t)a + (uint32_t)b, diff = (uint32_t)a - (uint32_t)b;
            uint32_t prod = (uint32_t)a * (uint32_t)b;
            printf("%d %d: + %u - %u * %u & %x | %x ^ %x\n", a, b, sum, diff, prod,
                   (unsigned)(a & b), (unsigned)(a | b), (unsigned)(a ^ b));
            printf("  < %d <= %d u< %d  ~a %x -a %u\n", a < b, a <= b, (uint32_t)a < (uint32_t)b,
                   (unsigned)~a, 0u - (uint32_t)a);
            mix(sum), mix(diff), mix(prod);
        }
    }
    for (int s = 0; s < 32; s += 3) {
        volatile int shift = s;                  /* variable shifts: SHAD / SHLD */
        uint32_t u = next();
        int32_t v = (int32_t)next();
        printf("shift %2d: %08x << %08x >> %08x  %d >> %d\n", s, u, u << shift, u >> shift, v, v >> shift);
        mix(u << shift), mix(u >> shift), mix((uint32_t)(v >> shift));
    }
    for (int i = 0; i < 12; i++) {
        uint32_t r = next();
        int8_t c = (int8_t)r;
        int16_t h = (int16_t)r;
        uint8_t uc = (uint8_t)r;
        uint16_t uh = (uint16_t)r;
        printf("ext %08x: %d %d %u %u rotl %08x\n", r, c, h, uc, uh, (r << 7) | (r >> 25));
        mix((uint32_t)c), mix((uint32_t)h), mix(uc), mix(uh);
    }
    uint32_t acc = 0;
    for (int i = 1; i <= 20000; i++)           /* a loop long enough to be preempted */
        acc = acc * 31 + (uint32_t)i * (uint32_t)i;
    printf("loop %u\n", acc);
    mix(acc);
    printf("digest %08x\n", digest);
    return digest & 0x7F;
}
