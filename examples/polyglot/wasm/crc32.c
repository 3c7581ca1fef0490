/* A library module in C for the wasm VM: CRC-32 for the other VMs, and a task of its own.
 *
 * crc32(data: bytes) -> u32 is published at /mod/wasm/crc32/crc32 (signature from crc32.sig,
 * added to the module as the custom section "osvm.signatures"); the VM copies the bytes into
 * memory this module hands out with alloc() and calls cabi_post_crc32 once the result is read.
 * The self-test task uses two OS services: /os/time/now and /os/console/write.
 */
#include "osvm.h"

OSVM_BUMP_ALLOCATOR(4096)

/* Bit by bit (no table to build): about 60 cycles a byte, fine for short messages. */
OSVM_EXPORT("crc32") u32 crc32(const u8 *data, u32 len) {
    u32 crc = 0xffffffffu;
    for (u32 i = 0; i < len; i++) {
        crc ^= data[i];
        for (int k = 0; k < 8; k++) crc = (crc >> 1) ^ (0xedb88320u & (0u - (crc & 1)));
    }
    return crc ^ 0xffffffffu;
}

/* Post-return: the argument's buffer is no longer needed. */
OSVM_EXPORT("cabi_post_crc32") void cabi_post_crc32(u32 result) {
    (void)result;
    osvm_arena_reset();
}

OSVM_EXPORT("main") s32 selftest(void) {
    char when[24], hex[24];
    u32 check = crc32((const u8 *)"123456789", 9);
    osvm_arena_reset();
    osvm_print("[");
    osvm_print(osvm_utoa(osvm_time_now(), when, 10, 7, ' '));
    osvm_print("] crc32: self-test ");
    osvm_print(osvm_utoa(check, hex, 16, 8, '0'));
    osvm_print(check == 0xcbf43926u ? " ok\n" : " FAILED\n");
    return check == 0xcbf43926u ? 0 : 1;
}
