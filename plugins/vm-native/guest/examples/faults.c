/* Each export does one thing a task must not do; a fault ends only the task that does it. */
#include "libc.h"
#include "osvm.h"

OSVM_EXPORT(illegal, "func() -> s32");
int illegal(void) {
    __asm__ __volatile__(".word 0xfffd");          /* no SH-3 instruction has this encoding */
    return 0;
}

OSVM_EXPORT(privileged, "func() -> s32");
int privileged(void) {
    __asm__ __volatile__("mov #0,r0\n\tldc r0,sr" ::: "r0");   /* SR is not for user mode */
    return 0;
}

OSVM_EXPORT(slot_illegal, "func() -> s32");
int slot_illegal(void) {
    __asm__ __volatile__("bra 1f\n\tbra 1f\n1:\tnop");          /* a branch in a delay slot */
    return 0;
}

OSVM_EXPORT(misaligned, "func() -> s32");
int misaligned(void) {
    static uint32_t words[2] = {1, 2};
    volatile uintptr_t odd = (uintptr_t)words + 1;   /* opaque, so gcc cannot split the access */
    return (int)*(volatile uint32_t *)odd;
}

OSVM_EXPORT(wild_write, "func(address: u32) -> s32");
int wild_write(uint32_t address) {
    *(volatile uint32_t *)address = 0xDEADBEEF;
    return 0;
}

OSVM_EXPORT(wild_read, "func(address: u32) -> s32");
int wild_read(uint32_t address) {
    return (int)*(volatile uint32_t *)address;
}

OSVM_EXPORT(wild_jump, "func(address: u32) -> s32");
int wild_jump(uint32_t address) {
    int (*volatile f)(void) = (int (*)(void))address;
    return f();
}

#pragma GCC diagnostic ignored "-Winfinite-recursion"
static int deeper(int n) {
    volatile char frame[64];
    frame[0] = (char)n;
    return deeper(n + 1) + frame[0];
}

OSVM_EXPORT(overflow, "func() -> s32");
int overflow(void) {
    return deeper(0);
}

OSVM_EXPORT(healthy, "func(rounds: s32) -> s32");
int healthy(int rounds) {
    for (int i = 1; i <= rounds; i++)
        printf("healthy: round %d\n", i);
    return rounds;
}

int main(void) {
    return healthy(1);
}
