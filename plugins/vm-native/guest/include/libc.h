/*
 * libc.h - the small freestanding C library of osvm's native programs.
 *
 * The same library builds for two platforms: osvm (runtime/osvm_io.c: output
 * through /os/console/write_bytes) and Linux (runtime/linux/: write(2) and
 * exit(2) by `trapa #0x13`, for qemu-sh4), so a program prints the same bytes
 * on both.
 */
#ifndef OSVM_LIBC_H
#define OSVM_LIBC_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strcpy(char *dst, const char *src);
char *strchr(const char *s, int c);
int atoi(const char *s);

int printf(const char *format, ...) __attribute__((format(printf, 1, 2)));
int snprintf(char *buf, size_t size, const char *format, ...) __attribute__((format(printf, 3, 4)));
int vsnprintf(char *buf, size_t size, const char *format, va_list args);
int vprintf(const char *format, va_list args);
int puts(const char *s);
int putchar(int c);
__attribute__((noreturn)) void exit(int code);

/* the platform layer */
int __rt_write(const void *data, size_t size);
__attribute__((noreturn)) void __rt_exit(int code);

#endif /* OSVM_LIBC_H */
