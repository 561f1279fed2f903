"""survival.logrank_cox gives exactly logrank() and cox_hr() on the same two groups."""
import numpy as np
import pytest

from evidencegui.core import survival as sv


@pytest.mark.parametrize("seed", range(12))
def test_logrank_cox_equals_separate_calls(seed):
    rng = np.random.default_rng(seed)
    n = int(rng.integers(2, 400))
    t = rng.exponential(10, n)
    if seed % 3 == 0:
        t = np.round(t, 0)                        # heavy ties
    if seed % 4 == 1:
        t = t + rng.choice([0.0, 1e-10], n)       # near-ties for timefix
    e = (rng.random(n) < 0.7).astype(np.int8)
    if seed == 5:
        e[:] = 0                                  # no events: no HR, no test
    x = rng.random(n) < 0.5
    if seed == 7:
        x[:] = True                               # one group only
    for timefix in (True, False):
        lr, cox = sv.logrank_cox(t, e, x, timefix=timefix)
        lr_ref = sv.logrank(t, e, x.astype(np.int8), timefix=timefix)
        cox_ref = sv.cox_hr(t, e, x, timefix=timefix)
        assert (lr.chisq, lr.df, lr.p) == (lr_ref.chisq, lr_ref.df, lr_ref.p)
        assert lr.observed == lr_ref.observed and lr.expected == lr_ref.expected
        assert cox == cox_ref
