/* floats: f32/f64 arithmetic, conversions and printf's float formatting (soft long double). */
#include <math.h>
#include <stdio.h>

static double newton_sqrt(double x) {
    double g = x > 1 ? x / 2 : 1;
    for (int i = 0; i < 30; i++) g = 0.5 * (g + x / g);
    return g;
}

int main(void) {
    double total = 0;
    float ftotal = 0;
    for (int i = 1; i <= 200; i++) {
        total += 1.0 / ((double)i * i);
        ftotal += 1.0f / ((float)i * (float)i);
    }
    printf("sum 1/i^2 (200 terms): %.12f (f64) %.6f (f32)\n", total, (double)ftotal);
    printf("pi estimate: %.10f\n", newton_sqrt(6 * total));
    printf("sqrt(2) = %.15g, sqrtf(2) = %.8g\n", sqrt(2.0), (double)sqrtf(2.0f));
    printf("floor/ceil/trunc of -2.5: %g %g %g, fabs %g\n", floor(-2.5), ceil(-2.5), trunc(-2.5), fabs(-2.5));
    printf("conversions: %d %u %lld %d\n", (int)-3.99, (unsigned)3.99e9, (long long)-1e15, (int)(float)16777217);
    printf("tiny %e huge %e inf %f nan? %d\n", 1e-300 * 1e-10, 1.5e300 * 10, 1e308 * 10, isnan(0.0 / 0.0 * 0));
    double x = 1.0;
    int steps = 0;
    while (1.0 + x != 1.0) { x /= 2; steps++; }
    printf("epsilon found after %d halvings: %a\n", steps, x * 2);
    return 0;
}
