/*
 * osvm.h - the system-call ABI of osvm's native (SH-3) VM, for freestanding C.
 *
 * A system call is `trapa #OSVM_SYS_x` with the arguments where the SH C
 * calling convention puts them: 32-bit words in R4-R7, then at @R15, @R15+4...;
 * a 64-bit value is two words (low first); a string or bytes is two words
 * (pointer, length). The result comes back in R0 (R1 holds the high word of a
 * 64-bit result); an error is a negative uITRON code (E_TMOUT, ...) in R0.
 * A string, bytes or `any` result is copied into a buffer given as two more
 * words (buf, cap); R0 is then the length of the whole result.
 * The numbers match osvm_vm_native/syscalls.py (a test checks).
 *
 * OSVM_EXPORT(name, "func(...) -> ...") offers a function of the program to
 * other VMs as /mod/<vm>/<module>/<name>; OSVM_IMPORT declares a function
 * that calls a namespace entry (another module, perhaps in another VM).
 */
#ifndef OSVM_H
#define OSVM_H

#include <stddef.h>
#include <stdint.h>

typedef int32_t ER;        /* E_OK or a negative error code */
typedef int32_t ID;        /* an object id (a handle); 0 = "the caller" for tasks */
typedef int64_t TMO;       /* a timeout in cycles: TMO_POL polls, TMO_FEVR waits forever */
typedef uint64_t osvm_slice;   /* a string/bytes result of an export: pointer | length << 32 */

#define E_OK     0
#define E_SYS    (-5)
#define E_NOSPT  (-9)
#define E_RSFN   (-10)
#define E_PAR    (-17)
#define E_ID     (-18)
#define E_CTX    (-25)
#define E_MACV   (-26)
#define E_OACV   (-27)
#define E_ILUSE  (-28)
#define E_NOMEM  (-33)
#define E_OBJ    (-41)
#define E_NOEXS  (-42)
#define E_QOVR   (-43)
#define E_RLWAI  (-49)
#define E_TMOUT  (-50)
#define E_DLT    (-51)

#define TMO_POL   ((TMO)0)
#define TMO_FEVR  ((TMO)-1)
#define TSK_SELF  0

/* ---- system-call numbers (trapa #imm) ------------------------------------------------ */
#define OSVM_SYS_EXIT                   0x20  /* /os/task/exit */
#define OSVM_SYS_TASK_SELF              0x21  /* /os/task/self */
#define OSVM_SYS_TASK_OPEN              0x22  /* /os/task/open */
#define OSVM_SYS_TASK_CREATE            0x23  /* /os/task/create */
#define OSVM_SYS_TASK_ACTIVATE          0x24  /* /os/task/activate */
#define OSVM_SYS_TASK_TERMINATE         0x25  /* /os/task/terminate */
#define OSVM_SYS_TASK_SUSPEND           0x26  /* /os/task/suspend */
#define OSVM_SYS_TASK_RESUME            0x27  /* /os/task/resume */
#define OSVM_SYS_TASK_SLEEP             0x28  /* /os/task/sleep */
#define OSVM_SYS_TASK_WAKEUP            0x29  /* /os/task/wakeup */
#define OSVM_SYS_TASK_CANCEL_WAKEUPS    0x2A  /* /os/task/cancel_wakeups */
#define OSVM_SYS_TASK_DELAY             0x2B  /* /os/task/delay */
#define OSVM_SYS_TASK_RELEASE_WAIT      0x2C  /* /os/task/release_wait */
#define OSVM_SYS_TASK_SET_PRIORITY      0x2D  /* /os/task/set_priority */
#define OSVM_SYS_TASK_GET_PRIORITY      0x2E  /* /os/task/get_priority */
#define OSVM_SYS_TASK_STATE             0x2F  /* /os/task/state */
#define OSVM_SYS_TASK_ROTATE            0x30  /* /os/task/rotate */
#define OSVM_SYS_SEM_CREATE             0x38  /* /os/sem/create */
#define OSVM_SYS_SEM_OPEN               0x39  /* /os/sem/open */
#define OSVM_SYS_SEM_WAIT               0x3A  /* /os/sem/wait */
#define OSVM_SYS_SEM_POLL               0x3B  /* /os/sem/poll */
#define OSVM_SYS_SEM_SIGNAL             0x3C  /* /os/sem/signal */
#define OSVM_SYS_SEM_COUNT              0x3D  /* /os/sem/count */
#define OSVM_SYS_SEM_DELETE             0x3E  /* /os/sem/delete */
#define OSVM_SYS_MPF_CREATE             0x40  /* /os/mpf/create */
#define OSVM_SYS_MPF_OPEN               0x41  /* /os/mpf/open */
#define OSVM_SYS_MPF_GET                0x42  /* /os/mpf/get */
#define OSVM_SYS_MPF_RELEASE            0x43  /* /os/mpf/release */
#define OSVM_SYS_MPF_FREE               0x44  /* /os/mpf/free */
#define OSVM_SYS_MPF_DELETE             0x45  /* /os/mpf/delete */
#define OSVM_SYS_MPL_CREATE             0x48  /* /os/mpl/create */
#define OSVM_SYS_MPL_OPEN               0x49  /* /os/mpl/open */
#define OSVM_SYS_MPL_GET                0x4A  /* /os/mpl/get */
#define OSVM_SYS_MPL_RELEASE            0x4B  /* /os/mpl/release */
#define OSVM_SYS_MPL_DELETE             0x4C  /* /os/mpl/delete */
#define OSVM_SYS_MEM_READ               0x50  /* /os/mem/read */
#define OSVM_SYS_MEM_WRITE              0x51  /* /os/mem/write */
#define OSVM_SYS_PORT_CREATE            0x58  /* /os/port/create */
#define OSVM_SYS_PORT_OPEN              0x59  /* /os/port/open */
#define OSVM_SYS_PORT_SEND              0x5A  /* /os/port/send */
#define OSVM_SYS_PORT_RECEIVE           0x5B  /* /os/port/receive */
#define OSVM_SYS_PORT_UPCALL            0x5C  /* /os/port/upcall */
#define OSVM_SYS_PORT_DELETE            0x5D  /* /os/port/delete */
#define OSVM_SYS_CONSOLE_WRITE          0x60  /* /os/console/write */
#define OSVM_SYS_CONSOLE_WRITE_BYTES    0x61  /* /os/console/write_bytes */
#define OSVM_SYS_TIME_NOW               0x68  /* /os/time/now */
#define OSVM_SYS_TIME_HZ                0x69  /* /os/time/hz */
#define OSVM_SYS_SYS_RANDOM             0x70  /* /os/sys/random */

#define OSVM_TRAP_IMPORT                0x7F  /* the trap of OSVM_IMPORT stubs */

/* ---- raw traps ---------------------------------------------------------------------- */
/* Arguments are evaluated into temporaries first, so no call can clobber R4-R7 after
 * they are loaded. The VM writes R0 and R1 only. */
#define OSVM__STR(x) #x
#define OSVM__XSTR(x) OSVM__STR(x)
#define OSVM__TRAP(no) "trapa #" OSVM__XSTR(no)
#define OSVM__LO(v) ((long)(uint32_t)(uint64_t)(v))
#define OSVM__HI(v) ((long)(uint32_t)((uint64_t)(v) >> 32))

#define OSVM_SYSCALL0(no) __extension__ ({                                                    \
    register long __r0 __asm__("r0");                                                        \
    __asm__ __volatile__(OSVM__TRAP(no) : "=r"(__r0) : : "r1", "memory");                     \
    __r0; })
#define OSVM_SYSCALL1(no, a) __extension__ ({                                                 \
    long __a = (long)(a);                                                                    \
    register long __r4 __asm__("r4") = __a;                                                  \
    register long __r0 __asm__("r0");                                                        \
    __asm__ __volatile__(OSVM__TRAP(no) : "=r"(__r0) : "r"(__r4) : "r1", "memory");           \
    __r0; })
#define OSVM_SYSCALL2(no, a, b) __extension__ ({                                              \
    long __a = (long)(a), __b = (long)(b);                                                   \
    register long __r4 __asm__("r4") = __a;                                                  \
    register long __r5 __asm__("r5") = __b;                                                  \
    register long __r0 __asm__("r0");                                                        \
    __asm__ __volatile__(OSVM__TRAP(no) : "=r"(__r0) : "r"(__r4), "r"(__r5) : "r1", "memory"); \
    __r0; })
#define OSVM_SYSCALL3(no, a, b, c) __extension__ ({                                           \
    long __a = (long)(a), __b = (long)(b), __c = (long)(c);                                  \
    register long __r4 __asm__("r4") = __a;                                                  \
    register long __r5 __asm__("r5") = __b;                                                  \
    register long __r6 __asm__("r6") = __c;                                                  \
    register long __r0 __asm__("r0");                                                        \
    __asm__ __volatile__(OSVM__TRAP(no) : "=r"(__r0)                                          \
                         : "r"(__r4), "r"(__r5), "r"(__r6) : "r1", "memory");                 \
    __r0; })
#define OSVM_SYSCALL4(no, a, b, c, d) __extension__ ({                                        \
    long __a = (long)(a), __b = (long)(b), __c = (long)(c), __d = (long)(d);                 \
    register long __r4 __asm__("r4") = __a;                                                  \
    register long __r5 __asm__("r5") = __b;                                                  \
    register long __r6 __asm__("r6") = __c;                                                  \
    register long __r7 __asm__("r7") = __d;                                                  \
    register long __r0 __asm__("r0");                                                        \
    __asm__ __volatile__(OSVM__TRAP(no) : "=r"(__r0)                                          \
                         : "r"(__r4), "r"(__r5), "r"(__r6), "r"(__r7) : "r1", "memory");      \
    __r0; })
/* the fifth word goes on the stack, at @R15 when the trap is taken */
#define OSVM_SYSCALL5(no, a, b, c, d, e) __extension__ ({                                     \
    long __a = (long)(a), __b = (long)(b), __c = (long)(c), __d = (long)(d), __e = (long)(e); \
    register long __r4 __asm__("r4") = __a;                                                  \
    register long __r5 __asm__("r5") = __b;                                                  \
    register long __r6 __asm__("r6") = __c;                                                  \
    register long __r7 __asm__("r7") = __d;                                                  \
    register long __r0 __asm__("r0");                                                        \
    __asm__ __volatile__("mov.l %5,@-r15\n\t" OSVM__TRAP(no) "\n\tadd #4,r15" : "=r"(__r0)    \
                         : "r"(__r4), "r"(__r5), "r"(__r6), "r"(__r7), "r"(__e) : "r1", "memory"); \
    __r0; })
/* a 64-bit result in R1:R0 */
#define OSVM_SYSCALL0_64(no) __extension__ ({                                                 \
    register unsigned long __r0 __asm__("r0");                                               \
    register unsigned long __r1 __asm__("r1");                                               \
    __asm__ __volatile__(OSVM__TRAP(no) : "=r"(__r0), "=r"(__r1) : : "memory");               \
    ((uint64_t)__r1 << 32) | __r0; })

static inline uint32_t osvm__strlen(const char *s) {
    uint32_t n = 0;
    while (s[n]) n++;
    return n;
}

/* ---- tasks --------------------------------------------------------------------------- */
__attribute__((noreturn)) static inline void osvm_exit(int code) {
    OSVM_SYSCALL1(OSVM_SYS_EXIT, code);
    __builtin_unreachable();
}
static inline ID osvm_task_self(void) { return OSVM_SYSCALL0(OSVM_SYS_TASK_SELF); }
static inline ID osvm_task_open(const char *name) { return OSVM_SYSCALL2(OSVM_SYS_TASK_OPEN, name, osvm__strlen(name)); }
/* a dormant task of this VM that will run the export at path `entry` */
static inline ID osvm_task_create(const char *name, const char *entry, int priority) {
    return OSVM_SYSCALL5(OSVM_SYS_TASK_CREATE, name, osvm__strlen(name), entry, osvm__strlen(entry), priority);
}
static inline ER osvm_task_activate(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_ACTIVATE, task); }
static inline ER osvm_task_terminate(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_TERMINATE, task); }
static inline ER osvm_task_suspend(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_SUSPEND, task); }
static inline ER osvm_task_resume(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_RESUME, task); }
static inline ER osvm_task_sleep(TMO timeout) {
    return OSVM_SYSCALL2(OSVM_SYS_TASK_SLEEP, OSVM__LO(timeout), OSVM__HI(timeout));
}
static inline ER osvm_task_wakeup(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_WAKEUP, task); }
static inline int osvm_task_cancel_wakeups(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_CANCEL_WAKEUPS, task); }
static inline ER osvm_task_delay(int64_t cycles) {
    return OSVM_SYSCALL2(OSVM_SYS_TASK_DELAY, OSVM__LO(cycles), OSVM__HI(cycles));
}
static inline ER osvm_task_release_wait(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_RELEASE_WAIT, task); }
static inline ER osvm_task_set_priority(ID task, int priority) {
    return OSVM_SYSCALL2(OSVM_SYS_TASK_SET_PRIORITY, task, priority);
}
static inline int osvm_task_get_priority(ID task) { return OSVM_SYSCALL1(OSVM_SYS_TASK_GET_PRIORITY, task); }
/* the state's name ("ready", "waiting", ...) into buf; returns its length */
static inline int osvm_task_state(ID task, char *buf, uint32_t cap) {
    return OSVM_SYSCALL3(OSVM_SYS_TASK_STATE, task, buf, cap);
}
static inline ER osvm_task_rotate(void) { return OSVM_SYSCALL0(OSVM_SYS_TASK_ROTATE); }

/* ---- semaphores ------------------------------------------------------------------- */
static inline ID osvm_sem_create(int count, int max, const char *order) {
    return OSVM_SYSCALL4(OSVM_SYS_SEM_CREATE, count, max, order, osvm__strlen(order));
}
static inline ID osvm_sem_open(const char *name) { return OSVM_SYSCALL2(OSVM_SYS_SEM_OPEN, name, osvm__strlen(name)); }
static inline ER osvm_sem_wait(ID sem, TMO timeout) {
    return OSVM_SYSCALL3(OSVM_SYS_SEM_WAIT, sem, OSVM__LO(timeout), OSVM__HI(timeout));
}
static inline ER osvm_sem_poll(ID sem) { return OSVM_SYSCALL1(OSVM_SYS_SEM_POLL, sem); }
static inline ER osvm_sem_signal(ID sem) { return OSVM_SYSCALL1(OSVM_SYS_SEM_SIGNAL, sem); }
static inline int osvm_sem_count(ID sem) { return OSVM_SYSCALL1(OSVM_SYS_SEM_COUNT, sem); }
static inline ER osvm_sem_delete(ID sem) { return OSVM_SYSCALL1(OSVM_SYS_SEM_DELETE, sem); }

/* ---- fixed-size pools (blocks are addresses this task may use directly) --------------- */
static inline ID osvm_mpf_create(uint32_t block, uint32_t count, const char *order) {
    return OSVM_SYSCALL4(OSVM_SYS_MPF_CREATE, block, count, order, osvm__strlen(order));
}
static inline ID osvm_mpf_open(const char *name) { return OSVM_SYSCALL2(OSVM_SYS_MPF_OPEN, name, osvm__strlen(name)); }
/* a block's address, or a negative error */
static inline long osvm_mpf_get(ID mpf, TMO timeout) {
    return OSVM_SYSCALL3(OSVM_SYS_MPF_GET, mpf, OSVM__LO(timeout), OSVM__HI(timeout));
}
static inline ER osvm_mpf_release(ID mpf, void *block) { return OSVM_SYSCALL2(OSVM_SYS_MPF_RELEASE, mpf, block); }
static inline int osvm_mpf_free(ID mpf) { return OSVM_SYSCALL1(OSVM_SYS_MPF_FREE, mpf); }
static inline ER osvm_mpf_delete(ID mpf) { return OSVM_SYSCALL1(OSVM_SYS_MPF_DELETE, mpf); }

/* ---- variable-size pools ------------------------------------------------------------ */
static inline ID osvm_mpl_create(uint32_t size, const char *order) {
    return OSVM_SYSCALL3(OSVM_SYS_MPL_CREATE, size, order, osvm__strlen(order));
}
static inline ID osvm_mpl_open(const char *name) { return OSVM_SYSCALL2(OSVM_SYS_MPL_OPEN, name, osvm__strlen(name)); }
static inline long osvm_mpl_get(ID mpl, uint32_t size, TMO timeout) {
    return OSVM_SYSCALL4(OSVM_SYS_MPL_GET, mpl, size, OSVM__LO(timeout), OSVM__HI(timeout));
}
static inline ER osvm_mpl_release(ID mpl, void *block) { return OSVM_SYSCALL2(OSVM_SYS_MPL_RELEASE, mpl, block); }
static inline ER osvm_mpl_delete(ID mpl) { return OSVM_SYSCALL1(OSVM_SYS_MPL_DELETE, mpl); }

/* ---- pool memory through the OS (as other VMs reach it) ------------------------------- */
static inline int osvm_mem_read(uint32_t address, uint32_t size, void *buf, uint32_t cap) {
    return OSVM_SYSCALL4(OSVM_SYS_MEM_READ, address, size, buf, cap);
}
static inline ER osvm_mem_write(uint32_t address, const void *data, uint32_t size) {
    return OSVM_SYSCALL3(OSVM_SYS_MEM_WRITE, address, data, size);
}

/* ---- ports: messages, and interrupts as messages (/dev/timer0, /dev/console0) --------- */
static inline ID osvm_port_create(uint32_t capacity) { return OSVM_SYSCALL1(OSVM_SYS_PORT_CREATE, capacity); }
static inline ID osvm_port_open(const char *name) { return OSVM_SYSCALL2(OSVM_SYS_PORT_OPEN, name, osvm__strlen(name)); }
/* a native message is one 32-bit integer */
static inline ER osvm_port_send(ID port, int32_t message, TMO timeout) {
    return OSVM_SYSCALL4(OSVM_SYS_PORT_SEND, port, message, OSVM__LO(timeout), OSVM__HI(timeout));
}
/* the message into buf: an integer as 8 bytes (int64_t), bytes or a string as they are,
 * a tuple of integers as 8 bytes each; returns its length in bytes */
static inline int osvm_port_receive(ID port, TMO timeout, void *buf, uint32_t cap) {
    return OSVM_SYSCALL5(OSVM_SYS_PORT_RECEIVE, port, OSVM__LO(timeout), OSVM__HI(timeout), buf, cap);
}
/* call the export at path `entry` (of this VM) in a new task with every message */
static inline ID osvm_port_upcall(ID port, const char *entry, int priority) {
    return OSVM_SYSCALL4(OSVM_SYS_PORT_UPCALL, port, entry, osvm__strlen(entry), priority);
}
static inline ER osvm_port_delete(ID port) { return OSVM_SYSCALL1(OSVM_SYS_PORT_DELETE, port); }

/* ---- console, time, system ---------------------------------------------------------- */
static inline ER osvm_console_write(const char *text, uint32_t size) {
    return OSVM_SYSCALL2(OSVM_SYS_CONSOLE_WRITE, text, size);
}
static inline ER osvm_console_write_bytes(const void *data, uint32_t size) {
    return OSVM_SYSCALL2(OSVM_SYS_CONSOLE_WRITE_BYTES, data, size);
}
static inline uint64_t osvm_time_now(void) { return OSVM_SYSCALL0_64(OSVM_SYS_TIME_NOW); }
static inline uint64_t osvm_time_hz(void) { return OSVM_SYSCALL0_64(OSVM_SYS_TIME_HZ); }
static inline uint32_t osvm_random(uint32_t bound) { return OSVM_SYSCALL1(OSVM_SYS_SYS_RANDOM, bound); }

/* ---- exports and imports ---------------------------------------------------------------
 * OSVM_EXPORT(crc32, "func(data: bytes) -> u32");
 * uint32_t crc32(const uint8_t *data, uint32_t len) { ... }      (not static)
 *
 * OSVM_IMPORT(uint32_t, adler32, (const void *data, uint32_t len),
 *             "/mod/lib/checksum/adler32", "func(data: bytes) -> u32");
 * ... adler32(buf, n) ...      calls the entry; a string/bytes result needs (buf, cap) too.
 * Declare each import once per program. */
#define OSVM_EXPORT(name, signature)                                                          \
    __asm__(".pushsection .osvm.exports,\"\",@progbits\n\t"                                   \
            ".asciz \"" #name ":" signature "\"\n\t.popsection")

#define OSVM_IMPORT(ret, name, params, path, signature)                                       \
    ret name params;                                                                          \
    __asm__(".pushsection .osvm.imports,\"a\",@progbits\n"                                    \
            ".Losvm_import_" #name ":\n\t.asciz \"" path ":" signature "\"\n\t.popsection\n\t" \
            ".pushsection .text\n\t.align 1\n\t.global " #name "\n\t.type " #name ",@function\n" \
            #name ":\n\tmov.l 1f,r0\n\t" OSVM__TRAP(OSVM_TRAP_IMPORT) "\n\trts\n\tnop\n\t"        \
            ".align 2\n1:\t.long .Losvm_import_" #name "\n\t.popsection")

#endif /* OSVM_H */
