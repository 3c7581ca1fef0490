/*
 * printf for freestanding programs: %d %i %u %x %X %o %c %s %p %%, with the flags - 0 + space #,
 * a width and a precision (numbers or *), and the lengths hh h l ll z.
 * printf() formats into a buffer and writes it with one __rt_write per 256 bytes.
 */
#include "libc.h"

struct sink {
    char *buf;
    size_t size;      /* room in buf */
    size_t used;      /* bytes in buf */
    size_t total;     /* bytes produced so far */
    int flush;        /* write and empty buf when full (printf) or drop (snprintf) */
};

static void emit(struct sink *s, char c) {
    if (s->used + 1 >= s->size) {
        if (s->flush) {
            __rt_write(s->buf, s->used);
            s->used = 0;
        } else {
            s->total++;
            return;
        }
    }
    s->buf[s->used++] = c;
    s->total++;
}

static void pad(struct sink *s, char c, int n) {
    while (n-- > 0)
        emit(s, c);
}

/* digits of v in base, most significant first, into out (at least 23 bytes) */
static int digits(char *out, unsigned long long v, unsigned base, int upper) {
    const char *set = upper ? "0123456789ABCDEF" : "0123456789abcdef";
    char tmp[24];
    int n = 0;
    if (base == 10 && v <= 0xFFFFFFFFu) {          /* the common case without 64-bit division */
        unsigned long w = (unsigned long)v;
        do {
            tmp[n++] = set[w % 10];
            w /= 10;
        } while (w);
    } else {
        do {
            tmp[n++] = set[v % base];
            v /= base;
        } while (v);
    }
    for (int i = 0; i < n; i++)
        out[i] = tmp[n - 1 - i];
    return n;
}

static void format(struct sink *s, const char *f, va_list ap) {
    for (; *f; f++) {
        if (*f != '%') {
            emit(s, *f);
            continue;
        }
        int left = 0, zero = 0, plus = 0, space = 0, alt = 0, width = 0, precision = -1, length = 0;
        for (;; f++) {
            char c = f[1];
            if (c == '-') left = 1;
            else if (c == '0') zero = 1;
            else if (c == '+') plus = 1;
            else if (c == ' ') space = 1;
            else if (c == '#') alt = 1;
            else break;
        }
        f++;
        if (*f == '*') {
            width = va_arg(ap, int);
            if (width < 0) {
                left = 1;
                width = -width;
            }
            f++;
        } else {
            while (*f >= '0' && *f <= '9')
                width = width * 10 + (*f++ - '0');
        }
        if (*f == '.') {
            f++;
            precision = 0;
            if (*f == '*') {
                precision = va_arg(ap, int);
                f++;
            } else {
                while (*f >= '0' && *f <= '9')
                    precision = precision * 10 + (*f++ - '0');
            }
        }
        for (;; f++) {
            if (*f == 'l') length++;
            else if (*f == 'h') length--;
            else if (*f == 'z') length = 1;
            else break;
        }
        char conv = *f;
        if (!conv)
            break;
        if (conv == '%') {
            emit(s, '%');
            continue;
        }
        if (conv == 'c') {
            if (!left) pad(s, ' ', width - 1);
            emit(s, (char)va_arg(ap, int));
            if (left) pad(s, ' ', width - 1);
            continue;
        }
        if (conv == 's') {
            const char *text = va_arg(ap, const char *);
            if (!text)
                text = "(null)";
            int n = 0;
            while (text[n] && (precision < 0 || n < precision))
                n++;
            if (!left) pad(s, ' ', width - n);
            for (int i = 0; i < n; i++)
                emit(s, text[i]);
            if (left) pad(s, ' ', width - n);
            continue;
        }
        unsigned long long v;
        int negative = 0;
        unsigned base = 10;
        if (conv == 'd' || conv == 'i') {
            long long x = length >= 2 ? va_arg(ap, long long) : length == 1 ? va_arg(ap, long) : va_arg(ap, int);
            if (length == -1) x = (short)x;
            if (length <= -2) x = (signed char)x;
            negative = x < 0;
            v = negative ? 0ull - (unsigned long long)x : (unsigned long long)x;
        } else if (conv == 'u' || conv == 'x' || conv == 'X' || conv == 'o' || conv == 'p') {
            if (conv == 'p') {
                v = (uintptr_t)va_arg(ap, void *);
                alt = 1;
            } else {
                v = length >= 2 ? va_arg(ap, unsigned long long)
                    : length == 1 ? va_arg(ap, unsigned long) : va_arg(ap, unsigned int);
                if (length == -1) v = (unsigned short)v;
                if (length <= -2) v = (unsigned char)v;
            }
            base = conv == 'o' ? 8 : conv == 'u' ? 10 : 16;
        } else {
            emit(s, '%');
            emit(s, conv);
            continue;
        }
        char number[24];
        int n = (precision == 0 && v == 0) ? 0 : digits(number, v, base, conv == 'X');
        const char *prefix = negative ? "-" : plus && (conv == 'd' || conv == 'i') ? "+"
                           : space && (conv == 'd' || conv == 'i') ? " " : "";
        if (alt && base == 16 && (v || conv == 'p'))
            prefix = conv == 'X' ? "0X" : "0x";
        if (alt && base == 8 && (n == 0 || number[0] != '0'))
            prefix = "0";
        int prefix_len = (int)strlen(prefix);
        int zeros = precision > n ? precision - n : 0;
        int body = prefix_len + zeros + n;
        if (zero && !left && precision < 0 && width > body) {
            zeros += width - body;
            body = width;
        }
        if (!left) pad(s, ' ', width - body);
        for (int i = 0; i < prefix_len; i++)
            emit(s, prefix[i]);
        pad(s, '0', zeros);
        for (int i = 0; i < n; i++)
            emit(s, number[i]);
        if (left) pad(s, ' ', width - body);
    }
}

int vsnprintf(char *buf, size_t size, const char *f, va_list ap) {
    char dummy;
    struct sink s = {size ? buf : &dummy, size ? size : 1, 0, 0, 0};
    format(&s, f, ap);
    s.buf[s.used] = 0;
    return (int)s.total;
}

int snprintf(char *buf, size_t size, const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vsnprintf(buf, size, f, ap);
    va_end(ap);
    return n;
}

int vprintf(const char *f, va_list ap) {
    char buf[257];
    struct sink s = {buf, sizeof buf, 0, 0, 1};
    format(&s, f, ap);
    if (s.used)
        __rt_write(buf, s.used);
    return (int)s.total;
}

int printf(const char *f, ...) {
    va_list ap;
    va_start(ap, f);
    int n = vprintf(f, ap);
    va_end(ap);
    return n;
}

int puts(const char *text) {
    size_t n = strlen(text);
    __rt_write(text, n);
    __rt_write("\n", 1);
    return (int)n + 1;
}

int putchar(int c) {
    char ch = (char)c;
    __rt_write(&ch, 1);
    return (unsigned char)c;
}

void exit(int code) {
    __rt_exit(code);
}
