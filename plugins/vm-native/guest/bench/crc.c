/* Bench kernel: table-driven CRC-32 over 16 KiB, twenty times. */
#include "libc.h"

/* argv[1] multiplies the work (qemu-sh4 runs it longer to be timed; osvm passes no arguments) */
static int scale(int argc, char **argv) {
    return argc > 1 ? atoi(argv[1]) : 1;
}

static uint32_t table[256];
static uint8_t data[16384];

int main(int argc, char **argv) {
    for (uint32_t n = 0; n < 256; n++) {
        uint32_t c = n;
        for (int k = 0; k < 8; k++)
            c = c & 1 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
        table[n] = c;
    }
    for (unsigned i = 0; i < sizeof data; i++)
        data[i] = (uint8_t)(i * 131 + (i >> 7));
    uint32_t crc = 0;
    for (int round = 0; round < 20 * scale(argc, argv); round++) {
        uint32_t c = 0xFFFFFFFFu ^ crc;
        for (unsigned i = 0; i < sizeof data; i++)
            c = table[(c ^ data[i]) & 0xFF] ^ (c >> 8);
        crc = c ^ 0xFFFFFFFFu;
    }
    printf("crc: %08x\n", crc);
    return 0;
}
