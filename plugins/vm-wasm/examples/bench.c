/* Kernels for bench/wasm.py: calls, a sieve, a floating-point matrix multiply, CRC-32. */
#include "osvm.h"

OSVM_EXPORT("fib") s32 fib(s32 n) { return n < 2 ? n : fib(n - 1) + fib(n - 2); }

static u8 flags[65536];

OSVM_EXPORT("sieve") s32 sieve(s32 n) {
    if (n > (s32)sizeof flags) n = sizeof flags;
    for (s32 i = 0; i < n; i++) flags[i] = 1;
    s32 count = 0;
    for (s32 i = 2; i < n; i++) {
        if (!flags[i]) continue;
        count++;
        for (s32 j = i + i; j < n; j += i) flags[j] = 0;
    }
    return count;
}

#define MAXN 48
static double ma[MAXN * MAXN], mb[MAXN * MAXN], mc[MAXN * MAXN];

/* c = a x b for n x n matrices; returns a checksum of c as an integer. */
OSVM_EXPORT("matmul") s32 matmul(s32 n) {
    if (n > MAXN) n = MAXN;
    for (s32 i = 0; i < n * n; i++) {
        ma[i] = (double)(i % 7) * 0.5 + 1.0;
        mb[i] = (double)(i % 5) * 0.25 - 0.5;
    }
    for (s32 i = 0; i < n; i++)
        for (s32 j = 0; j < n; j++) {
            double sum = 0;
            for (s32 k = 0; k < n; k++) sum += ma[i * n + k] * mb[k * n + j];
            mc[i * n + j] = sum;
        }
    double total = 0;
    for (s32 i = 0; i < n * n; i++) total += mc[i] * (double)(i % 3 + 1);
    return (s32)total;
}

static u32 crc_table[256];
static u8 crc_data[65536];

/* CRC-32 (IEEE, table-driven) of n bytes of a fixed pattern. */
OSVM_EXPORT("crc32") u32 crc32(s32 n) {
    if (n > (s32)sizeof crc_data) n = sizeof crc_data;
    for (u32 i = 0; i < 256; i++) {
        u32 c = i;
        for (int k = 0; k < 8; k++) c = c & 1 ? 0xedb88320u ^ (c >> 1) : c >> 1;
        crc_table[i] = c;
    }
    for (s32 i = 0; i < n; i++) crc_data[i] = (u8)(i * 31 + (i >> 8));
    u32 crc = 0xffffffffu;
    for (s32 i = 0; i < n; i++) crc = crc_table[(crc ^ crc_data[i]) & 0xff] ^ (crc >> 8);
    return crc ^ 0xffffffffu;
}
