/* Sorting: quicksort, heapsort and insertion sort of the same pseudo-random arrays; binary search. */
#include "libc.h"

#define N 600

static int32_t original[N], a[N], b[N], c[N];
static uint32_t state = 2463534242u;
static uint32_t next(void) {              /* xorshift32 */
    state ^= state << 13;
    state ^= state >> 17;
    state ^= state << 5;
    return state;
}

static void quicksort(int32_t *v, int lo, int hi) {
    while (lo < hi) {
        int32_t pivot = v[(lo + hi) / 2];
        int i = lo, j = hi;
        while (i <= j) {
            while (v[i] < pivot) i++;
            while (v[j] > pivot) j--;
            if (i <= j) {
                int32_t t = v[i];
                v[i++] = v[j];
                v[j--] = t;
            }
        }
        if (j - lo < hi - i) {          /* recurse into the smaller half */
            quicksort(v, lo, j);
            lo = i;
        } else {
            quicksort(v, i, hi);
            hi = j;
        }
    }
}

static void sift(int32_t *v, int start, int end) {
    int root = start;
    while (2 * root + 1 <= end) {
        int child = 2 * root + 1;
        if (child + 1 <= end && v[child] < v[child + 1]) child++;
        if (v[root] >= v[child]) return;
        int32_t t = v[root];
        v[root] = v[child];
        v[child] = t;
        root = child;
    }
}

static void heapsort(int32_t *v, int n) {
    for (int start = (n - 2) / 2; start >= 0; start--)
        sift(v, start, n - 1);
    for (int end = n - 1; end > 0; end--) {
        int32_t t = v[end];
        v[end] = v[0];
        v[0] = t;
        sift(v, 0, end - 1);
    }
}

static void insertion(int32_t *v, int n) {
    for (int i = 1; i < n; i++) {
        int32_t x = v[i];
        int j = i - 1;
        while (j >= 0 && v[j] > x) {
            v[j + 1] = v[j];
            j--;
        }
        v[j + 1] = x;
    }
}

static int find(const int32_t *v, int n, int32_t key) {
    int lo = 0, hi = n - 1;
    while (lo <= hi) {
        int mid = lo + (hi - lo) / 2;
        if (v[mid] == key) return mid;
        if (v[mid] < key) lo = mid + 1; else hi = mid - 1;
    }
    return -1;
}

int main(void) {
    uint32_t digest = 0;
    for (int round = 0; round < 3; round++) {
        int n = round == 0 ? N : round == 1 ? 97 : 250;
        for (int i = 0; i < n; i++)
            original[i] = round == 2 ? (int32_t)(next() % 50) - 25 : (int32_t)next();
        memcpy(a, original, sizeof original);
        memcpy(b, original, sizeof original);
        memcpy(c, original, sizeof original);
        quicksort(a, 0, n - 1);
        heapsort(b, n);
        insertion(c, n);
        int same = memcmp(a, b, (size_t)n * 4) == 0 && memcmp(a, c, (size_t)n * 4) == 0;
        int ordered = 1;
        for (int i = 1; i < n; i++)
            ordered &= a[i - 1] <= a[i];
        printf("round %d n %d: agree %d ordered %d min %d max %d median %d\n", round, n, same, ordered,
               a[0], a[n - 1], a[n / 2]);
        for (int i = 0; i < n; i += n / 8)
            printf("  a[%d] = %d found at %d\n", i, a[i], find(a, n, a[i]) >= 0 ? i : -1);
        printf("  missing %d\n", find(a, n, 0x7FFFFFFF));
        for (int i = 0; i < n; i++)
            digest = digest * 31 + (uint32_t)a[i];
    }
    printf("digest %08x\n", digest);
    return digest & 0x7F;
}
