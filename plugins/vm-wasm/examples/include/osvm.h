/* osvm.h -- a freestanding wasm32 module's view of osvm (no libc needed).
 *
 * Imports from module "osvm" are OS services: "<group>_<call>" is /os/<group>/<call>.
 * Values cross as the wasm VM's README says: integers and floats as themselves,
 * handles as i32 ids, and string/bytes/list<u8> as (pointer, length) pairs.
 */
#ifndef OSVM_H
#define OSVM_H

typedef unsigned char u8;
typedef unsigned int u32;
typedef int s32;
typedef unsigned long long u64;
typedef long long s64;
typedef unsigned long size_t;

#define OSVM_IMPORT(module, name) __attribute__((import_module(module), import_name(name)))
#define OSVM_EXPORT(name) __attribute__((export_name(name)))

/* A buffer result of an import is written by the VM into one of these (its last parameter). */
typedef struct { const u8 *ptr; u32 len; } osvm_buffer;

OSVM_IMPORT("osvm", "console_write") void osvm_console_write(const char *text, u32 len);
OSVM_IMPORT("osvm", "time_now") u64 osvm_time_now(void);
OSVM_IMPORT("osvm", "time_hz") u64 osvm_time_hz(void);
OSVM_IMPORT("osvm", "sys_random") u32 osvm_random(u32 bound);
OSVM_IMPORT("osvm", "task_delay") void osvm_delay(s64 cycles);
OSVM_IMPORT("osvm", "task_exit") void osvm_exit(s32 code);
/* The code (negative, a uITRON E_xxx) of the last OS call that failed, 0 after a success.
 * A module that imports this sees failures as zero results; one that does not traps on them. */
OSVM_IMPORT("osvm", "last_error") s32 osvm_last_error(void);

/* clang turns some loops into memset/memcpy calls, and a freestanding module has no libc:
 * these (volatile, so they are not turned into calls to themselves) stand in. */
__attribute__((weak)) void *memset(void *dst, int c, size_t n) {
    volatile u8 *d = dst;
    while (n--) *d++ = (u8)c;
    return dst;
}
__attribute__((weak)) void *memcpy(void *dst, const void *src, size_t n) {
    volatile u8 *d = dst;
    const u8 *s = src;
    while (n--) *d++ = *s++;
    return dst;
}

static inline size_t osvm_strlen(const char *s) {
    size_t n = 0;
    while (s[n]) n++;
    return n;
}

static inline void osvm_print(const char *s) { osvm_console_write(s, (u32)osvm_strlen(s)); }

/* Decimal (or hex with base 16) text of v into buf (at least 21 bytes); returns buf. */
static inline char *osvm_utoa(u64 v, char *buf, int base, int width, char pad) {
    char tmp[24];
    int n = 0;
    do { tmp[n++] = "0123456789abcdef"[v % (u64)base]; v /= (u64)base; } while (v);
    while (n < width) tmp[n++] = pad;
    for (int i = 0; i < n; i++) buf[i] = tmp[n - 1 - i];
    buf[n] = 0;
    return buf;
}

/* A bump allocator for the VM to put buffers in (export it with OSVM_BUMP_ALLOCATOR(size)).
 * The module resets it when it is done with its arguments, e.g. in cabi_post_<export>. */
#define OSVM_BUMP_ALLOCATOR(size)                                                  \
    static u8 osvm_arena[size] __attribute__((aligned(8)));                        \
    static u32 osvm_arena_used;                                                    \
    OSVM_EXPORT("alloc") void *alloc(u32 n) {                                      \
        u32 at = (osvm_arena_used + 7u) & ~7u;                                     \
        if (n > sizeof osvm_arena || at > sizeof osvm_arena - n) return 0;         \
        osvm_arena_used = at + n;                                                  \
        return osvm_arena + at;                                                    \
    }                                                                              \
    static inline void osvm_arena_reset(void) { osvm_arena_used = 0; }

#endif
