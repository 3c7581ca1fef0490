/* System calls from C through osvm.h: semaphores, pools, task state, ports, errors as codes. */
#include "libc.h"
#include "osvm.h"

OSVM_EXPORT(services, "func() -> s32");
int services(void) {
    char text[32];
    ID sem = osvm_sem_create(1, 2, "fifo");
    ER waited = osvm_sem_wait(sem, TMO_POL);
    ER polled = osvm_sem_poll(sem);                               /* empty now: E_TMOUT */
    osvm_sem_signal(sem);
    osvm_sem_signal(sem);
    ER over = osvm_sem_signal(sem);                               /* past max: E_QOVR */
    printf("sem %d: wait %d poll %d count %d over %d\n", sem > 0, waited, polled, osvm_sem_count(sem), over);

    ID pool = osvm_mpf_create(64, 2, "fifo");
    long block = osvm_mpf_get(pool, TMO_FEVR);
    strcpy((char *)block, "written straight into a pool block");
    int copied = osvm_mem_read((uint32_t)block, 7, text, sizeof text);
    text[copied > 0 ? copied : 0] = 0;
    printf("mpf: block %s, mem_read %d [%s], free %d\n", block > 0 ? "ok" : "missing", copied, text,
           osvm_mpf_free(pool));
    osvm_mpf_release(pool, (void *)block);

    int length = osvm_task_state(TSK_SELF, text, sizeof text);
    text[length > 0 ? length : 0] = 0;
    printf("state: %s, priority %d\n", text, osvm_task_get_priority(TSK_SELF));

    ID port = osvm_port_create(2);
    osvm_port_send(port, -42, TMO_POL);
    int64_t message = 0;
    int got = osvm_port_receive(port, TMO_POL, &message, sizeof message);
    int empty = osvm_port_receive(port, TMO_POL, &message, sizeof message);
    printf("port: %d bytes, message %lld, then %d\n", got, (long long)message, empty);

    register long r0 __asm__("r0");
    __asm__ __volatile__("trapa #0x7e" : "=r"(r0) : : "r1", "memory");   /* no such system call */
    printf("unknown trap: %ld\n", r0);
    printf("bad pointer: %d\n", osvm_console_write((const char *)0x10, 4));
    printf("random: %u %u\n", osvm_random(100), osvm_random(100));
    return 0;
}

int main(void) {
    return services();
}
