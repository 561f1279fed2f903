"""The normal and chi-square tail functions the statistics need, on the standard library alone.

scipy would give the same numbers but adds about 77 MB to the frozen program for three calls;
these are exact closed forms (the chi-square survival function for integer degrees of freedom)
and are tested against scipy.stats in tests/core/test_distributions.py."""
from __future__ import annotations

import functools
import math
from statistics import NormalDist

_STD = NormalDist()


def norm_ppf(p: float) -> float:
    """Quantile of the standard normal (scipy.stats.norm.ppf)."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must be in (0, 1), got {p}")
    return _STD.inv_cdf(p)


def norm_sf(x: float) -> float:
    """Upper tail P(Z > x) of the standard normal, accurate far into the tail."""
    return 0.5 * math.erfc(x / math.sqrt(2.0))


def chi2_sf(x: float, df: int) -> float:
    """Upper tail P(X > x) of a chi-square with an integer number of degrees of freedom.

    Even df: exp(-x/2) Σ_{i<df/2} (x/2)^i / i!.
    Odd df:  2 Q(√x) + 2 φ(√x) Σ_{i=1}^{(df-1)/2} x^{i-1/2} / (1·3·…·(2i-1)), Q the normal tail."""
    if df != int(df) or df < 1:
        raise ValueError(f"degrees of freedom must be a positive integer, got {df}")
    df = int(df)
    if not x > 0.0:
        return 1.0
    if math.isinf(x):
        return 0.0
    half = x / 2.0
    if df % 2 == 0:
        term = total = 1.0
        for i in range(1, df // 2):
            term *= half / i
            total += term
        return min(1.0, math.exp(-half) * total)
    r = math.sqrt(x)
    tail = 2.0 * norm_sf(r)
    if df == 1:
        return tail
    phi = math.exp(-half) / math.sqrt(2.0 * math.pi)
    term = r                         # x^(1/2) / 1
    total = term
    for i in range(2, (df - 1) // 2 + 1):
        term *= x / (2 * i - 1)
        total += term
    return min(1.0, tail + 2.0 * phi * total)


# Used by core.pooling, where degrees of freedom reach the thousands (1,000 studies): the closed
# form above would overflow there, so these work through log-gamma, series and continued fractions.

_EPS = 1e-15
_TINY = 1e-300


def gamma_q(a: float, x: float) -> float:
    """Regularized upper incomplete gamma Q(a, x) (scipy.special.gammaincc), a > 0, x ≥ 0."""
    if a <= 0:
        raise ValueError(f"a must be > 0, got {a}")
    if not x > 0.0:
        return 1.0
    if math.isinf(x):
        return 0.0
    log_front = a * math.log(x) - x - math.lgamma(a)
    if x < a + 1.0:                      # series for P(a, x)
        term = total = 1.0 / a
        ap = a
        for _ in range(100000):
            ap += 1.0
            term *= x / ap
            total += term
            if abs(term) < abs(total) * _EPS:
                break
        return max(0.0, 1.0 - math.exp(log_front) * total)
    # continued fraction for Q(a, x) (modified Lentz)
    b = x + 1.0 - a
    c = 1.0 / _TINY
    d = 1.0 / b
    h = d
    for i in range(1, 100000):
        an = -i * (i - a)
        b += 2.0
        d = an * d + b
        d = _TINY if abs(d) < _TINY else d
        c = b + an / c
        c = _TINY if abs(c) < _TINY else c
        d = 1.0 / d
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return min(1.0, math.exp(log_front) * h)


def chi2_sf_large(x: float, df: float) -> float:
    """Upper tail of a chi-square for any df > 0, also in the thousands: Q(df/2, x/2)."""
    return gamma_q(df / 2.0, x / 2.0)


def _beta_cf(a: float, b: float, x: float) -> float:
    """Continued fraction of the regularized incomplete beta (modified Lentz)."""
    qab, qap, qam = a + b, a + 1.0, a - 1.0
    c, d = 1.0, 1.0 - qab * x / qap
    d = 1.0 / (_TINY if abs(d) < _TINY else d)
    h = d
    for m in range(1, 100000):
        m2 = 2 * m
        aa = m * (b - m) * x / ((qam + m2) * (a + m2))
        d = 1.0 + aa * d
        d = 1.0 / (_TINY if abs(d) < _TINY else d)
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        h *= d * c
        aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2))
        d = 1.0 + aa * d
        d = 1.0 / (_TINY if abs(d) < _TINY else d)
        c = 1.0 + aa / c
        c = _TINY if abs(c) < _TINY else c
        delta = d * c
        h *= delta
        if abs(delta - 1.0) < _EPS:
            break
    return h


def beta_inc(a: float, b: float, x: float) -> float:
    """Regularized incomplete beta I_x(a, b) (scipy.special.betainc)."""
    if x <= 0.0:
        return 0.0
    if x >= 1.0:
        return 1.0
    log_front = (math.lgamma(a + b) - math.lgamma(a) - math.lgamma(b)
                 + a * math.log(x) + b * math.log1p(-x))
    if x < (a + 1.0) / (a + b + 2.0):
        return math.exp(log_front) * _beta_cf(a, b, x) / a
    return 1.0 - math.exp(log_front) * _beta_cf(b, a, 1.0 - x) / b


def t_sf(t: float, df: float) -> float:
    """Upper tail P(T > t) of Student's t with df > 0 degrees of freedom."""
    tail = 0.5 * beta_inc(df / 2.0, 0.5, df / (df + t * t))
    return tail if t >= 0 else 1.0 - tail


def t_pdf(t: float, df: float) -> float:
    """Density of Student's t."""
    return math.exp(math.lgamma((df + 1) / 2.0) - math.lgamma(df / 2.0)
                    - 0.5 * math.log(df * math.pi) - (df + 1) / 2.0 * math.log1p(t * t / df))


@functools.lru_cache(maxsize=256)
def t_ppf(p: float, df: float) -> float:
    """Quantile of Student's t (scipy.stats.t.ppf): Newton steps on t_sf from the normal
    quantile, with bisection as the safeguard."""
    if not 0.0 < p < 1.0:
        raise ValueError(f"probability must be in (0, 1), got {p}")
    if df <= 0:
        raise ValueError(f"degrees of freedom must be > 0, got {df}")
    if p < 0.5:
        return -t_ppf(1.0 - p, df)
    if p == 0.5:
        return 0.0
    target = 1.0 - p
    lo, hi = 0.0, 1.0
    while t_sf(hi, df) > target:
        lo, hi = hi, hi * 2.0
        if hi > 1e12:
            return math.inf
    t = min(max(_STD.inv_cdf(p), lo), hi)
    for _ in range(200):
        f = t_sf(t, df) - target            # decreasing in t
        if f > 0:
            lo = t
        else:
            hi = t
        step = f / t_pdf(t, df)
        new = t + step
        if not lo < new < hi:                # Newton left the bracket: bisect instead
            new = 0.5 * (lo + hi)
        if abs(new - t) <= 1e-14 * max(1.0, abs(t)):
            return new
        t = new
    return t
