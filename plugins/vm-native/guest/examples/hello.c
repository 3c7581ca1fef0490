/* The smallest osvm native program: printf through the console service, the clock, an exit status. */
#include "libc.h"
#include "osvm.h"

int main(void) {
    printf("hello from the SH-3: %d + %d = %d\n", 2, 3, 2 + 3);
    uint64_t hz = osvm_time_hz();
    printf("the board clock runs at %llu Hz\n", (unsigned long long)hz);
    return 7;
}
