"""Reconstruction of CLEOPATRA from its digitized curves, checked against the published trial
(HR 0.68, deaths ~165 vs ~216) with lifelines' Cox model as the independent HR oracle."""
import numpy as np
import pandas as pd
import pytest

from evidencegui.core.errors import InputError
from evidencegui.core.reconstruct import reconstruct
from evidencegui.io.digitizer import read_at_risk, read_digitized
from tests.conftest import FIXTURES

PERT, PLAC = "Pertuzumab+Trastuzumab+Docetaxel", "Placebo+Trastuzumab+Docetaxel"


def _recon(ep):
    curves = read_digitized(FIXTURES / "cleopatra" / f"{ep}_digitized.csv")
    table = read_at_risk(FIXTURES / "cleopatra" / f"{ep}_at_risk.csv")
    return {k: reconstruct(c.t, c.s, *table.for_arm(k)) for k, c in curves.items()}


def _hr(recs):
    from lifelines import CoxPHFitter
    df = pd.concat([pd.DataFrame({"time": r.time, "event": r.event, "exp": int(k == PERT)})
                    for k, r in recs.items()])
    return float(np.exp(CoxPHFitter().fit(df, "time", "event").params_.iloc[0]))


def test_cleopatra_os():
    recs = _recon("os")
    assert abs(_hr(recs) - 0.68) <= 0.03
    assert abs(recs[PERT].events - 165) <= 0.05 * 165
    assert abs(recs[PLAC].events - 216) <= 0.05 * 216
    assert recs[PERT].n == 402 and recs[PLAC].n == 406
    for r in recs.values():
        assert list(r.fit.at_risk_given) == list(r.fit.at_risk_reconstructed)
        assert r.fit.max_abs_distance < 0.02


def test_cleopatra_pfs():
    assert abs(_hr(_recon("pfs")) - 0.67) <= 0.03


def test_unsorted_curve_is_cleaned_with_warnings():
    t = [0.0, 2.0, 1.0, 3.0, 3.5, 5.0]
    s = [1.0, 0.9, 0.95, 0.8, 0.82, 0.7]
    r = reconstruct(t, s, [0, 2, 4], [100, 90, 78])
    assert any("sorted" in w for w in r.warnings)
    assert any("running minimum" in w for w in r.warnings)
    assert r.n == 100


def test_infeasible_table_is_an_error():
    with pytest.raises(InputError, match="other arm"):
        reconstruct([0, 1, 1, 5], [1, 1, 0.5, 0.5], [0, 2], [100, 90])
