/* limits: hostile behaviour for the OS to contain -- a loop that never ends, an access
 * outside linear memory, and growing memory until the VM's memory limit says no. */
#include "osvm.h"

static volatile u32 counter;

OSVM_EXPORT("spin") void spin(void) {
    for (;;) counter++; /* never returns: only preemption lets other tasks run */
}

OSVM_EXPORT("oob") s32 oob(void) {
    volatile s32 *far = (volatile s32 *)0xfffffff0u; /* far beyond the memory's end */
    return *far;
}

OSVM_EXPORT("pages") s32 pages(void) { return (s32)__builtin_wasm_memory_size(0); }

/* Grow one page at a time until memory.grow answers -1; how many pages were added. */
OSVM_EXPORT("grow_all") s32 grow_all(void) {
    s32 added = 0;
    while (__builtin_wasm_memory_grow(0, 1) != (unsigned long)-1) added++;
    return added;
}

/* memory.grow by a number of pages; its raw answer (old size, or -1). */
OSVM_EXPORT("grow") s32 grow(s32 delta) { return (s32)__builtin_wasm_memory_grow(0, (unsigned long)delta); }

/* A memory that moved must keep its contents: write a pattern, grow, check it. */
OSVM_EXPORT("grow_keeps") s32 grow_keeps(s32 delta) {
    static u8 pattern[256];
    for (int i = 0; i < 256; i++) pattern[i] = (u8)(i * 7 + 1);
    if ((s32)__builtin_wasm_memory_grow(0, (unsigned long)delta) < 0) return -1;
    for (int i = 0; i < 256; i++)
        if (pattern[i] != (u8)(i * 7 + 1)) return 0;
    return 1;
}
