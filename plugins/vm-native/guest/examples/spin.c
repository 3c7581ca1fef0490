/* A CPU-bound task: rounds of arithmetic with a line of output after each, for the preemption test. */
#include "libc.h"
#include "osvm.h"

OSVM_EXPORT(spin, "func(id: s32, rounds: s32) -> s32");
int spin(int id, int rounds) {
    uint32_t x = (uint32_t)id;
    for (int round = 1; round <= rounds; round++) {
        for (int i = 0; i < 5000; i++)
            x = x * 1103515245u + 12345u + (x >> 7);
        printf("[%8llu] spin %d: round %d (%08x)\n", (unsigned long long)osvm_time_now(), id, round, x);
    }
    return id;
}

int main(void) {
    return spin(0, 3);
}
