"""The standard-library tail functions against scipy.stats (the oracle)."""
import math

import pytest
from scipy import stats

from evidencegui.core.distributions import chi2_sf, norm_ppf, norm_sf


@pytest.mark.parametrize("p", [1e-12, 1e-6, 0.001, 0.025, 0.05, 0.3, 0.5, 0.9, 0.975, 0.999999])
def test_norm_ppf(p):
    assert norm_ppf(p) == pytest.approx(stats.norm.ppf(p), rel=1e-13, abs=1e-13)


@pytest.mark.parametrize("x", [-5, -1, 0, 0.5, 1.96, 3, 8, 20, 37])
def test_norm_sf(x):
    # relative 1e-12 even deep in the tail, where 1 - cdf would lose everything
    assert norm_sf(x) == pytest.approx(stats.norm.sf(x), rel=1e-12)


@pytest.mark.parametrize("df", [1, 2, 3, 4, 5, 6, 7, 10, 11, 25])
@pytest.mark.parametrize("x", [1e-8, 0.01, 0.5, 1, 3.84, 9.97, 20, 50, 200, 1400])
def test_chi2_sf(x, df):
    expected = stats.chi2.sf(x, df)
    assert chi2_sf(x, df) == pytest.approx(expected, rel=1e-10, abs=1e-300)


def test_chi2_sf_edges():
    assert chi2_sf(0.0, 1) == 1.0
    assert chi2_sf(math.inf, 3) == 0.0
    with pytest.raises(ValueError):
        chi2_sf(1.0, 0)
    with pytest.raises(ValueError):
        norm_ppf(1.0)
