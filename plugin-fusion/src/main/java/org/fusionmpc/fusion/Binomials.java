package org.fusionmpc.fusion;

/**
 * Exact binomial and hypergeometric quantities in the log domain: log n! as a running sum of logarithms
 * (no Stirling or normal approximation), tails as sums of exact terms. Accurate to about 1e-12 relative,
 * which {@code BinomialsTest} checks against BigInteger arithmetic.
 */
final class Binomials {

    private static double[] logFactorial = {0.0};

    private Binomials() {
    }

    static synchronized double logFactorial(int n) {
        if (n < 0) {
            throw new IllegalArgumentException("n = " + n);
        }
        if (n >= logFactorial.length) {
            double[] grown = java.util.Arrays.copyOf(logFactorial, Math.max(n + 1, 2 * logFactorial.length));
            for (int i = logFactorial.length; i < grown.length; i++) {
                grown[i] = grown[i - 1] + Math.log(i);
            }
            logFactorial = grown;
        }
        return logFactorial[n];
    }

    /** log C(n, k); -infinity when k is outside [0, n]. */
    static double logChoose(int n, int k) {
        if (k < 0 || k > n) {
            return Double.NEGATIVE_INFINITY;
        }
        return logFactorial(n) - logFactorial(k) - logFactorial(n - k);
    }

    /** P(X = i) for X ~ Binomial(n, p). */
    static double pmf(int n, double p, int i) {
        if (i < 0 || i > n) {
            return 0;
        }
        if (p <= 0) {
            return i == 0 ? 1 : 0;
        }
        if (p >= 1) {
            return i == n ? 1 : 0;
        }
        return Math.exp(logChoose(n, i) + i * Math.log(p) + (n - i) * Math.log1p(-p));
    }

    /** P(X ≤ x) for X ~ Binomial(n, p). */
    static double cdf(int n, double p, int x) {
        if (x < 0) {
            return 0;
        }
        if (x >= n) {
            return 1;
        }
        double s = 0;
        for (int i = 0; i <= x; i++) {
            s += pmf(n, p, i);
        }
        return Math.min(1, s);
    }

    /** P(X ≥ x) for X ~ Binomial(n, p). */
    static double upperTail(int n, double p, int x) {
        if (x <= 0) {
            return 1;
        }
        double s = 0;
        for (int i = x; i <= n; i++) {
            s += pmf(n, p, i);
        }
        return Math.min(1, s);
    }

    /**
     * The exact (Clopper-Pearson) two-sided confidence interval for a binomial proportion with {@code x}
     * successes in {@code n} trials at confidence {@code 1 - alpha}, by bisection on the exact tails.
     */
    static double[] clopperPearson(int x, int n, double alpha) {
        if (n == 0) {
            return new double[] {0, 1};
        }
        double lo = x == 0 ? 0 : bisect(p -> upperTail(n, p, x) - alpha / 2);
        double hi = x == n ? 1 : bisect(p -> alpha / 2 - cdf(n, p, x));
        return new double[] {lo, hi};
    }

    /** The root in (0, 1) of an increasing function. */
    private static double bisect(java.util.function.DoubleUnaryOperator f) {
        double lo = 0;
        double hi = 1;
        for (int i = 0; i < 60; i++) {
            double mid = (lo + hi) / 2;
            if (f.applyAsDouble(mid) < 0) {
                lo = mid;
            } else {
                hi = mid;
            }
        }
        return (lo + hi) / 2;
    }
}
