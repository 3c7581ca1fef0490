/* primes: a sieve in malloc'd memory (memory.grow), printed in columns. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int main(int argc, char **argv) {
    int limit = argc > 1 ? atoi(argv[1]) : 100000;
    if (limit < 2) {
        fprintf(stderr, "primes: limit must be at least 2\n");
        return 2;
    }
    unsigned char *composite = malloc((size_t)limit + 1);
    if (!composite) {
        printf("primes: out of memory\n");
        return 1;
    }
    memset(composite, 0, (size_t)limit + 1);
    int count = 0, last[8] = {0};
    for (int i = 2; i <= limit; i++) {
        if (composite[i]) continue;
        last[count % 8] = i;
        count++;
        for (long long j = (long long)i * i; j <= limit; j += i) composite[j] = 1;
    }
    printf("%d primes up to %d; the last ones:\n", count, limit);
    int shown = count < 8 ? count : 8;
    for (int k = 0; k < shown; k++)
        printf("%8d%s", last[(count - shown + k) % 8], k % 4 == 3 || k == shown - 1 ? "\n" : "");
    free(composite);
    return 0;
}
