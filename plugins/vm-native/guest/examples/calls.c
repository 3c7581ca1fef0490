/* Exports other VMs call and imports of their entries, in the SH C calling convention. */
#include "libc.h"
#include "osvm.h"

OSVM_IMPORT(uint32_t, py_adler32, (const void *data, uint32_t size),
            "/mod/py/helpers/adler32", "func(data: bytes) -> u32");
OSVM_IMPORT(int, py_greet, (const char *name, uint32_t size, char *buf, uint32_t cap),
            "/mod/py/helpers/greet", "func(name: string) -> string");
OSVM_IMPORT(int64_t, py_scale, (int64_t value, int32_t factor),
            "/mod/py/helpers/scale", "func(value: s64, factor: s32) -> s64");

OSVM_EXPORT(add, "func(a: s32, b: s32) -> s32");
int add(int a, int b) {
    return a + b;
}

OSVM_EXPORT(sum8, "func(a: s32, b: s32, c: s32, d: s32, e: s32, f: s32, g: s32, h: u8) -> s32");
int sum8(int a, int b, int c, int d, int e, int f, int g, uint8_t h) {   /* e, f, g, h on the stack */
    return a + 2 * b + 3 * c + 4 * d + 5 * e + 6 * f + 7 * g + 8 * h;
}

OSVM_EXPORT(mul64, "func(a: s64, b: s32, c: u64) -> s64");
int64_t mul64(int64_t a, int32_t b, uint64_t c) {                         /* c is split R7 / stack */
    return a * b + (int64_t)c;
}

OSVM_EXPORT(is_even, "func(n: u32) -> bool");
int is_even(uint32_t n) {
    return (n & 1) == 0;
}

OSVM_EXPORT(crc32, "func(data: bytes) -> u32");
uint32_t crc32(const uint8_t *data, uint32_t size) {
    uint32_t c = 0xFFFFFFFFu;
    while (size--) {
        c ^= *data++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

OSVM_EXPORT(shout, "func(text: string) -> string");
osvm_slice shout(const char *text, uint32_t size) {
    static char out[128];
    uint32_t n = size < sizeof out ? size : sizeof out;
    for (uint32_t i = 0; i < n; i++)
        out[i] = text[i] >= 'a' && text[i] <= 'z' ? (char)(text[i] - 32) : text[i];
    return (uint64_t)(uintptr_t)out | (uint64_t)n << 32;
}

OSVM_EXPORT(use_imports, "func() -> s32");
int use_imports(void) {
    char greeting[64];
    uint32_t digest = py_adler32("Wikipedia", 9);
    int size = py_greet("SH-3", 4, greeting, sizeof greeting - 1);
    if (size < 0)
        return size;
    greeting[size < (int)sizeof greeting - 1 ? size : (int)sizeof greeting - 1] = 0;
    int64_t scaled = py_scale(-3000000000LL, 3);
    printf("adler32 via python: %08x\ngreeting: %s (%d bytes)\nscaled: %lld\n", digest, greeting, size,
           (long long)scaled);
    return 0;
}

int main(void) {
    printf("add %d, sum8 %d, mul64 %lld\n", add(2, 3), sum8(1, 1, 1, 1, 1, 1, 1, 1),
           (long long)mul64(1LL << 40, -3, 7));
    return use_imports();
}
