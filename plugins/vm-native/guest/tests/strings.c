/* Strings and memory: memcpy/memmove/memset/memcmp, strlen/strcmp/strcpy/strchr, reversal, number formatting. */
#include "libc.h"

static char buffer[512];
static char other[512];

static void reverse(char *s) {
    size_t n = strlen(s);
    for (size_t i = 0; i < n / 2; i++) {
        char t = s[i];
        s[i] = s[n - 1 - i];
        s[n - 1 - i] = t;
    }
}

static int to_text(char *out, long value, int base) {   /* itoa */
    char tmp[40];
    int n = 0, negative = value < 0;
    unsigned long v = negative ? 0ul - (unsigned long)value : (unsigned long)value;
    do {
        tmp[n++] = "0123456789abcdefghijklmnopqrstuvwxyz"[v % (unsigned)base];
        v /= (unsigned)base;
    } while (v);
    int k = 0;
    if (negative)
        out[k++] = '-';
    while (n)
        out[k++] = tmp[--n];
    out[k] = 0;
    return k;
}

int main(void) {
    const char *words[] = {"osvm", "SH-3", "CAT-68701", "", "a", "virtual machines", "abc", "abd", "ab"};
    int n = sizeof words / sizeof words[0];
    uint32_t digest = 5381;
    for (int i = 0; i < n; i++) {
        strcpy(buffer, words[i]);
        reverse(buffer);
        printf("[%s] len %u reversed [%s]", words[i], (unsigned)strlen(words[i]), buffer);
        for (int j = 0; j < n; j++) {
            int c = strcmp(words[i], words[j]);
            printf(" %c", c < 0 ? '<' : c > 0 ? '>' : '=');
            digest = digest * 33 + (uint32_t)(c < 0 ? 1 : c > 0 ? 2 : 3);
        }
        char *dash = strchr(words[i], '-');
        printf(" dash@%d\n", dash ? (int)(dash - words[i]) : -1);
    }
    for (int i = 0; i < 256; i++)
        buffer[i] = (char)(i * 7 + 3);
    for (int shift = 0; shift < 40; shift += 7) {       /* overlapping moves both ways */
        memcpy(other, buffer, 256);
        memmove(other + shift, other, 100);
        memmove(other, other + shift + 3, 90);
        uint32_t sum = 0;
        for (int i = 0; i < 256; i++)
            sum = sum * 131 + (unsigned char)other[i];
        printf("memmove %d: %08x cmp %d\n", shift, sum, memcmp(other, buffer, 256) < 0);
        digest ^= sum;
    }
    for (int off = 0; off < 4; off++) {
        for (int len = 0; len < 13; len += 4) {
            memset(other, '.', 32);
            memset(other + off, 'x', (size_t)len);
            memcpy(other + 16 + off, "0123456789ab", (size_t)len);
            other[32] = 0;
            printf("set %d %2d %s\n", off, len, other);
        }
    }
    long values[] = {0, 7, -7, 255, 1000000, -2147483647L - 1, 2147483647L, 36 * 36 - 1};
    for (unsigned i = 0; i < sizeof values / sizeof values[0]; i++) {
        char dec[40], hex[40], b36[40], bin[40];
        to_text(dec, values[i], 10);
        to_text(hex, values[i], 16);
        to_text(b36, values[i], 36);
        to_text(bin, values[i] & 0xFFFF, 2);
        printf("%s %s %s %s | %8ld|%-8ld|%08lx|%+ld|%.3s|%5.1s|\n", dec, hex, b36, bin,
               values[i], values[i], (unsigned long)values[i], values[i], dec, hex);
        digest = digest * 33 + (uint32_t)strlen(bin);
    }
    char formatted[64];
    int length = snprintf(formatted, 16, "%s-%d-%x-%c", "snprintf", 12345, 0xabc, 'Z');
    printf("snprintf wanted %d kept [%s]\n", length, formatted);
    printf("digest %08x\n", digest);
    return digest & 0x7F;
}
