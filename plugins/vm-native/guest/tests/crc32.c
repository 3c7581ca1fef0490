/* CRC-32 (IEEE, table-driven and bitwise), Adler-32 and FNV-1a over generated data. */
#include "libc.h"

static uint32_t table[256];
static uint8_t data[4096];

static void make_table(void) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
}

static uint32_t crc32_table(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--)
        c = table[(c ^ *p++) & 0xFF] ^ (c >> 8);
    return c ^ 0xFFFFFFFFu;
}

static uint32_t crc32_bitwise(const uint8_t *p, size_t n) {
    uint32_t c = 0xFFFFFFFFu;
    while (n--) {
        c ^= *p++;
        for (int k = 0; k < 8; k++)
            c = (c >> 1) ^ (0xEDB88320u & (0u - (c & 1)));
    }
    return ~c;
}

static uint32_t adler32(const uint8_t *p, size_t n) {
    uint32_t a = 1, b = 0;
    while (n--) {
        a = (a + *p++) % 65521;
        b = (b + a) % 65521;
    }
    return b << 16 | a;
}

static uint32_t fnv1a(const uint8_t *p, size_t n) {
    uint32_t h = 2166136261u;
    while (n--)
        h = (h ^ *p++) * 16777619u;
    return h;
}

int main(void) {
    make_table();
    const char *check = "123456789";
    printf("crc32(\"%s\") = %08x (expected cbf43926)\n", check, crc32_table((const uint8_t *)check, 9));
    printf("adler32(\"Wikipedia\") = %08x (expected 11e60398)\n", adler32((const uint8_t *)"Wikipedia", 9));
    uint32_t seed = 1;
    for (size_t i = 0; i < sizeof data; i++) {
        seed = seed * 1103515245u + 12345u;
        data[i] = (uint8_t)(seed >> 16);
    }
    size_t sizes[] = {0, 1, 3, 64, 255, 1000, 4096};
    uint32_t digest = 0;
    for (unsigned i = 0; i < sizeof sizes / sizeof sizes[0]; i++) {
        size_t n = sizes[i];
        uint32_t t = crc32_table(data, n), w = n <= 1000 ? crc32_bitwise(data, n) : t;
        printf("n %4u: crc32 %08x (bitwise %s) adler32 %08x fnv1a %08x\n", (unsigned)n, t,
               t == w ? "same" : "DIFFERENT", adler32(data, n), fnv1a(data, n));
        digest ^= t + adler32(data, n);
    }
    for (int pass = 0; pass < 4; pass++)      /* chained: the CRC of the CRCs */
        digest = crc32_table((const uint8_t *)&digest, 4) ^ (uint32_t)pass;
    printf("digest %08x\n", digest);
    return digest & 0x7F;
}
