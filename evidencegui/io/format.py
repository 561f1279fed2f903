"""How every number a person reads is written: window, workbook, slides and figures say it alike.

One function per kind of number. A value that does not exist is "—" (an em dash), never "nan" or
"None"; a median not reached is "not reached" ("NR" inside a CI); the minus sign is typographic
(−0.5); p-values below 0.0001 are "<0.0001". Pure text, no Qt.
"""
from __future__ import annotations

import math

MISSING = "—"
NOT_REACHED = "not reached"


def finite(x) -> bool:
    """A real, finite number (bools are not numbers here)."""
    return (x is not None and isinstance(x, (int, float)) and not isinstance(x, bool)
            and math.isfinite(x))


def minus(text: str) -> str:
    """A typographic minus, as in print (−0.5, not -0.5)."""
    return text.replace("-", "−")


def fmt_time(x, not_reached: bool = False) -> str:
    """Months (or the project's unit) to one decimal; 'not reached' when so reported."""
    if not_reached:
        return NOT_REACHED
    return MISSING if not finite(x) else minus(f"{x:.1f}")


def fmt_gain(x) -> str:
    """A difference in time, signed: +15.7, −2.0."""
    return MISSING if not finite(x) else minus(f"{x:+.1f}")


def fmt_ratio(x) -> str:
    """HRs and ratios to two decimals."""
    return MISSING if not finite(x) else f"{x:.2f}"


def fmt_pct(x, signed: bool = False, digits: int = 0) -> str:
    """A proportion in [−1, 1] as a percentage: 0.32 → '32%'."""
    if not finite(x):
        return MISSING
    return minus(f"{x * 100:{'+' if signed else ''}.{digits}f}%")


def fmt_p(p, upper_bound: bool = False) -> str:
    """p-values: '<0.001' as reported bounds; <0.0001, 4 decimals below 0.001, 3 below 0.1, else 2."""
    if not finite(p):
        return MISSING
    if upper_bound:
        return f"<{p:g}"
    if p < 0.0001:
        return "<0.0001"
    if p < 0.001:
        return f"{p:.4f}"
    if p < 0.1:
        return f"{p:.3f}"
    return f"{p:.2f}"


def fmt_ci(lo, hi, fmt=fmt_ratio, open_upper: str = MISSING) -> str:
    """'0.56–0.84'; an upper limit not reached (medians) shows as open_upper ('NR')."""
    if not finite(lo) and not finite(hi):
        return ""
    left = fmt(lo) if finite(lo) else MISSING
    right = fmt(hi) if finite(hi) else open_upper
    return f"{left}–{right}"


def with_ci(estimate: str, lo, hi, fmt=fmt_ratio, open_upper: str = MISSING) -> str:
    """'0.68 (0.56–0.84)'; the estimate alone when there is no CI."""
    ci = fmt_ci(lo, hi, fmt, open_upper)
    return f"{estimate} ({ci})" if ci else estimate


def fmt_hr(hr, lo=None, hi=None) -> str:
    """'0.68 (0.56–0.84)'."""
    return with_ci(fmt_ratio(hr), lo, hi)


def fmt_median(median, lo=None, hi=None, not_reached: bool = False) -> str:
    """'56.5 (49.3–NR)'; 'not reached'."""
    if not_reached:
        return NOT_REACHED
    return with_ci(fmt_time(median), lo, hi, fmt_time, "NR") if finite(median) else MISSING


def fmt_nnt(n, kind: str = "benefit") -> str:
    """'NNT 10' (benefit) or 'NNH 10' (harm); whole patients, rounded up."""
    if not finite(n):
        return MISSING
    return f"{'NNT' if kind == 'benefit' else 'NNH'} {math.ceil(abs(n) - 1e-9)}"


def fmt_landmark(t) -> str:
    """A landmark time as people write it: 24, 1.5 (no trailing .0)."""
    return MISSING if not finite(t) else minus(f"{t:g}")


def fmt_points(d, digits: int = 1) -> str:
    """A difference of two proportions in percentage points: 0.116 → '+11.6 pts'."""
    return MISSING if not finite(d) else minus(f"{d * 100:+.{digits}f} pts")


def fmt_prob(x, digits: int = 3) -> str:
    """A probability in [0, 1]: 0.713."""
    return MISSING if not finite(x) else f"{x:.{digits}f}"


def p_equals(p, upper_bound: bool = False) -> str:
    """'p = 0.32', 'p < 0.0001' (a phrase for running text, annotations); a reported bound
    (upper_bound) as 'p < 0.001'."""
    text = fmt_p(p, upper_bound)
    return f"p < {text[1:]}" if text.startswith("<") else f"p = {text}"


def fmt_tick(x) -> str:
    """A tick of a ratio axis (hazard ratios on a log scale): 0.25, 0.5, 1, 2."""
    return MISSING if not finite(x) else minus(f"{x:g}")


def fmt_weight(w) -> str:
    """A weight in a meta-analysis (a fraction of 1) as a percentage with one decimal: '42.1%'."""
    return fmt_pct(w, digits=1)


def fmt_heterogeneity(i2, tau2, q, df, p, method: str = "") -> str:
    """'I² = 12%, τ² = 0.004 (REML), Q = 2.28 on 2 df, p = 0.32' (I² a fraction; parts that do
    not exist are left out)."""
    parts = []
    if finite(i2):
        parts.append(f"I² = {fmt_pct(i2)}")
    if finite(tau2):
        parts.append(f"τ² = {tau2:.3f}" if tau2 >= 0.0005 or tau2 == 0 else f"τ² = {tau2:.1e}")
        if method:
            parts[-1] += f" ({method})"
    if finite(q):
        parts.append(f"Q = {q:.2f} on {df} df" + (f", {p_equals(p)}" if finite(p) else ""))
    return ", ".join(parts) if parts else MISSING


# Cochrane Handbook (version 6, section 10.10.2): I² of 75% to 100% "may represent considerable
# heterogeneity".
CONSIDERABLE_I2 = 0.75


def heterogeneity_caution(i2) -> str:
    """'Considerable heterogeneity (I² = 91%): the trials may not share one effect; read the pooled
    HR with care' where I² ≥ 75% (Cochrane Handbook 10.10.2); '' otherwise."""
    if not finite(i2) or i2 < CONSIDERABLE_I2:
        return ""
    return (f"Considerable heterogeneity (I² = {fmt_pct(i2)}): the trials may not share one effect; "
            "read the pooled HR with care")
