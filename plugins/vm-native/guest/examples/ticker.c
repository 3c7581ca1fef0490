/* Interrupts as messages: receive the timer's ticks from the /dev/timer0 port. */
#include "libc.h"
#include "osvm.h"

OSVM_EXPORT(ticker, "func(count: s32) -> s32");
int ticker(int count) {
    ID timer = osvm_port_open("timer0");
    if (timer < 0)
        return timer;
    int64_t last = 0;
    for (int i = 0; i < count; i++) {
        int64_t tick = 0;
        int size = osvm_port_receive(timer, TMO_FEVR, &tick, sizeof tick);
        if (size != 8)
            return size < 0 ? size : E_SYS;
        printf("[%8llu] ticker: tick %lld\n", (unsigned long long)osvm_time_now(), (long long)tick);
        last = tick;
    }
    return (int)last;
}

int main(void) {
    return ticker(3);
}
