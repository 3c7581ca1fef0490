/*
 * The native (SH-3) module of the polyglot system: a Fletcher-32 checksum that a Python task
 * calls through the names tree (/mod/native/fletcher/fletcher32), and a task of its own that
 * sleeps through the OS, asks the OS for the job port's free slots, calls the Python
 * library's adler32 and prints. Built by ./Makefile; the ELF is committed.
 */
#include "libc.h"
#include "osvm.h"

OSVM_IMPORT(uint32_t, adler32, (const void *data, uint32_t size),
            "/mod/lib/checksum/adler32", "func(data: bytes) -> u32");

OSVM_EXPORT(fletcher32, "func(data: bytes) -> u32");
uint32_t fletcher32(const uint8_t *data, uint32_t size) {
    uint32_t a = 0xFFFF, b = 0xFFFF;
    for (uint32_t i = 0; i < size; i += 2) {
        uint32_t word = data[i] | (i + 1 < size ? (uint32_t)data[i + 1] << 8 : 0);
        a += word;
        b += a;
        a = (a & 0xFFFF) + (a >> 16);
        b = (b & 0xFFFF) + (b >> 16);
    }
    a = (a & 0xFFFF) + (a >> 16);
    b = (b & 0xFFFF) + (b >> 16);
    return b << 16 | a;
}

OSVM_EXPORT(main, "func() -> s32");
int main(void) {
    static const char text[] = "SH-3";
    osvm_task_delay(30000 - (int64_t)osvm_time_now());      /* until cycle 30000 */
    int free_slots = osvm_sem_count(osvm_sem_open("slots"));
    uint32_t ours = fletcher32((const uint8_t *)text, sizeof text - 1);
    uint32_t theirs = adler32(text, sizeof text - 1);          /* a call into the Python VM */
    printf("[%7llu] native: free job slots %d, fletcher32(%s) = %08x, adler32 by Python = %08x\n",
           (unsigned long long)osvm_time_now(), free_slots, text, ours, theirs);
    return 0;
}
