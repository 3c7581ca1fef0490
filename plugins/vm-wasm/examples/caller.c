/* caller: a wasm task that calls OS services and exports of a Python module.
 *
 * Imports from module "py/mathlib" are /mod/py/mathlib/<name>: the Python VM "py" must load a
 * module "mathlib" exporting scale(x: s32) -> s32 and greet(name: string) -> string.
 */
#include "osvm.h"

OSVM_IMPORT("py/mathlib", "scale") s32 scale(s32 x);
OSVM_IMPORT("py/mathlib", "greet") void greet(const char *name, u32 len, osvm_buffer *result);

OSVM_BUMP_ALLOCATOR(1024)

OSVM_EXPORT("main") s32 caller_main(void) {
    char num[24];
    osvm_print("caller: calling python\n");
    s32 v = scale(21);
    osvm_print("caller: scale(21) = ");
    osvm_print(osvm_utoa((u64)v, num, 10, 0, ' '));
    osvm_buffer text;
    greet("wasm", 4, &text);
    osvm_print("\ncaller: greet says '");
    osvm_console_write((const char *)text.ptr, text.len);
    osvm_print("'\ncaller: cycle ");
    osvm_print(osvm_utoa(osvm_time_now(), num, 10, 0, ' '));
    osvm_print("\n");
    osvm_arena_reset();
    return v;
}

/* Called from other VMs: string in, string out (through alloc and a return area). */
static struct { const u8 *ptr; u32 len; } shout_result;
static u8 shout_text[256];

OSVM_EXPORT("shout") void *shout(const u8 *text, u32 len) {
    u32 n = len < sizeof shout_text ? len : sizeof shout_text;
    for (u32 i = 0; i < n; i++) {
        u8 c = text[i];
        shout_text[i] = (c >= 'a' && c <= 'z') ? (u8)(c - 32) : c;
    }
    shout_result.ptr = shout_text;
    shout_result.len = n;
    return &shout_result;
}

OSVM_EXPORT("cabi_post_shout") void cabi_post_shout(void *result) {
    (void)result;
    osvm_arena_reset(); /* the argument buffer is ours to free once the result is read */
}

/* Calls an OS service that fails (a delay of -1 cycles) and reports the code it got. */
OSVM_EXPORT("try_bad_delay") s32 try_bad_delay(void) {
    osvm_delay(-1);
    return osvm_last_error();
}
