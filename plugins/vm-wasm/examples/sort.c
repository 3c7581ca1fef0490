/* sort: qsort of numbers and of words, string functions, snprintf. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static unsigned state = 12345;
static unsigned next(void) { state = state * 1103515245u + 12345u; return (state >> 8) & 0xffffff; }

static int by_value(const void *a, const void *b) {
    unsigned x = *(const unsigned *)a, y = *(const unsigned *)b;
    return (x > y) - (x < y);
}

static int by_text(const void *a, const void *b) { return strcmp(*(char *const *)a, *(char *const *)b); }

int main(void) {
    enum { N = 2000 };
    unsigned *numbers = malloc(N * sizeof *numbers);
    for (int i = 0; i < N; i++) numbers[i] = next();
    qsort(numbers, N, sizeof *numbers, by_value);
    unsigned long long sum = 0;
    for (int i = 0; i < N; i++) sum = sum * 31 + numbers[i];
    printf("sorted %d numbers: min %u, median %u, max %u, hash %llu\n", N, numbers[0], numbers[N / 2],
           numbers[N - 1], sum);
    free(numbers);

    const char *text = "the quick brown fox jumps over the lazy dog while an osvm task runs wasm";
    char copy[128];
    strncpy(copy, text, sizeof copy - 1);
    copy[sizeof copy - 1] = 0;
    char *words[32];
    int n = 0;
    for (char *w = strtok(copy, " "); w && n < 32; w = strtok(NULL, " ")) words[n++] = w;
    qsort(words, (size_t)n, sizeof *words, by_text);
    char line[256];
    int used = 0;
    for (int i = 0; i < n; i++)
        used += snprintf(line + used, sizeof line - (size_t)used, "%s%s", i ? "," : "", words[i]);
    printf("%d words: %s (%d chars)\n", n, line, used);
    return 0;
}
