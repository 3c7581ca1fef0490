/* The osvm platform layer of libc: console output and exit by osvm system calls. */
#include "libc.h"
#include "osvm.h"

int __rt_write(const void *data, size_t size) {
    return osvm_console_write_bytes(data, size);
}

void __rt_exit(int code) {
    osvm_exit(code);
}
