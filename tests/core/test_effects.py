"""Effect measures against hand-computed published examples (each cited)."""
import math

import pytest
from scipy import stats

from evidencegui.core import effects as fx
from evidencegui.core.model import Arm, Endpoint, Landmark, Trial


def _cleopatra_os():
    e = Arm("P", "experimental", 402, 168, 56.5, 49.3, None, hr=0.68, hr_lower=0.56, hr_upper=0.84,
            p_value=0.0002)
    c = Arm("C", "control", 406, 221, 40.8, 35.8, 48.3)
    ep = Endpoint("OS", [e, c], primary=True)
    return Trial("CLEOPATRA", [ep]), ep, e, c


def test_cleopatra_reported_measures():
    # Swain et al., NEJM 2015;372:724-34: 56.5 vs 40.8 months, HR 0.68 (0.56-0.84).
    t, ep, e, c = _cleopatra_os()
    comp = fx.compare_arms(t, ep, e, c)
    assert comp.median_gain == pytest.approx(15.7, abs=1e-12)          # 56.5 - 40.8
    assert comp.median_ratio == pytest.approx(1.385, abs=5e-4)          # 56.5 / 40.8 = 1.38480
    # (ln 0.84 - ln 0.56) / (2 * 1.959964) = 0.405465 / 3.919928 = 0.103437
    assert comp.hr_se == pytest.approx(0.103437, abs=1e-6)
    assert comp.hr_se_source == "ci"
    assert comp.relative_reduction == pytest.approx(0.32, abs=1e-12)
    assert comp.significant is True
    j = comp.to_json()
    for key in ("trial", "endpoint", "arm", "control", "median_gain", "median_ratio", "hr", "hr_ci",
                "hr_se", "relative_reduction", "landmarks", "esmo_mcbs"):
        assert key in j
    assert j["hr_ci"] == [0.56, 0.84]
    assert j["esmo_mcbs"]["preliminary_grade"] == 4


def test_altman_bland_examples():
    # Altman & Bland, BMJ 2011;343:d2090: difference 17 points with P = 0.032 -> z = 2.141, SE = 7.940.
    assert fx.z_from_p(0.032) == pytest.approx(2.141, abs=5e-4)
    assert 17 / fx.z_from_p(0.032) == pytest.approx(7.940, abs=5e-4)
    # Same paper, ratio example: RR 0.30 with P = 0.034 -> SE(log RR) = 0.569; CI 0.1 to 0.9 as
    # printed to one decimal (0.099 to 0.915 unrounded).
    se = fx.hr_se_from_p(0.30, 0.034)
    assert se == pytest.approx(0.5688, abs=1e-3)
    assert math.exp(math.log(0.30) - 1.96 * se) == pytest.approx(0.10, abs=0.005)
    assert math.exp(math.log(0.30) + 1.96 * se) == pytest.approx(0.9, abs=0.05)
    # The approximation against the exact normal quantile (scipy) over its documented range.
    for p in (0.2, 0.05, 0.001, 1e-6):
        assert fx.z_from_p(p) == pytest.approx(stats.norm.isf(p / 2), rel=0.02)


def test_hr_se_from_p_when_no_ci():
    # CLEOPATRA without its CI: HR 0.68, p = 0.0002 -> z = 3.744, SE = |ln 0.68| / 3.744 = 0.1030,
    # close to the 0.1034 from the CI.
    t, ep, e, c = _cleopatra_os()
    e.hr_lower = e.hr_upper = None
    comp = fx.compare_arms(t, ep, e, c)
    assert comp.hr_se_source == "p-value"
    assert comp.hr_se == pytest.approx(abs(math.log(0.68)) / 3.7443, rel=1e-3)
    assert comp.hr_se == pytest.approx(0.1034, abs=0.002)
    assert fx.hr_se_from_p(1.0, 0.5) is None


def test_gain_estimated_when_experimental_median_not_reached():
    # control 10 months, HR 0.5 -> exponential model: 10 / 0.5 - 10 = 10 months, labelled estimated.
    e = Arm("E", "experimental", median_not_reached=True, hr=0.5, hr_lower=0.4, hr_upper=0.62)
    c = Arm("C", "control", median=10.0)
    ep = Endpoint("OS", [e, c])
    comp = fx.compare_arms(Trial("T", [ep]), ep, e, c)
    # CLI.md: a value that does not exist is null; the estimate has its own key
    assert comp.median_gain is None
    assert comp.median_gain_hr == pytest.approx(10.0)
    assert comp.gain_shown == pytest.approx(10.0)
    assert comp.median_gain_estimated is True
    assert comp.median_ratio is None
    doc = comp.to_json()
    assert doc["median_gain"] is None
    assert doc["median_gain_estimated"] == pytest.approx(10.0)


def test_monaleesa7_pattern_median_gain_null_in_report(tmp_path):
    # MONALEESA-7 OS: ribociclib median not reached, control 40.9 months, HR 0.71 (0.54-0.95)
    import json
    from evidencegui.cli import main
    p = tmp_path / "m7.csv"
    p.write_text("trial,endpoint,arm,role,median,hr,hr_lower,hr_upper\n"
                 "MONALEESA-7,OS,Ribociclib+ET,experimental,,0.71,0.54,0.95\n"
                 "MONALEESA-7,OS,Placebo+ET,control,40.9,,,\n")
    import contextlib, io
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        assert main(["report", str(p), "--json"]) == 0
    c = json.loads(out.getvalue())["comparisons"][0]
    assert c["median_gain"] is None
    assert c["median_gain_estimated"] == pytest.approx(40.9 / 0.71 - 40.9)


def test_nnt():
    # NNT = 1 / ARR rounded up (Laupacis et al., NEJM 1988;318:1728): ARR 10 points -> 10.
    assert fx.nnt(0.10) == 10           # 1/0.1 is 10.000000000000002 in binary: not 11
    assert fx.nnt(0.07) == 15           # 14.29 -> 15
    assert fx.nnt(-0.05) == 20
    assert fx.nnt(0) is None and fx.nnt(None) is None


def test_landmarks_reported_and_modelled():
    e = Arm("E", "experimental", hr=0.7, hr_lower=0.5, hr_upper=0.9,
            landmarks=[Landmark(24, 0.60)])
    c = Arm("C", "control", landmarks=[Landmark(24, 0.50), Landmark(60, 0.20)])
    ep = Endpoint("OS", [e, c])
    comp = fx.compare_arms(Trial("T", [ep]), ep, e, c)
    lm24, lm60 = comp.landmark(24), comp.landmark(60)
    assert lm24.difference == pytest.approx(0.10) and lm24.nnt == 10 and not lm24.modelled
    assert lm24.nnt_kind == "benefit"
    # modelled: 0.20 ** 0.7 = exp(0.7 ln 0.2) = 0.32413; difference 0.12413 -> NNT ceil(8.056) = 9
    assert lm60.modelled and lm60.experimental == pytest.approx(0.324131, abs=1e-6)
    assert lm60.difference == pytest.approx(0.124131, abs=1e-6) and lm60.nnt == 9
    assert comp.landmark(60, reported_only=True) is None


def test_bucher_indirect_comparison():
    # Bucher et al., J Clin Epidemiol 1997;50:683: ln HR_AB = ln HR_AC - ln HR_BC,
    # var = var_AC + var_BC. Hand computation: HR_AC 0.68 (0.56-0.84), HR_BC 0.80 (0.65-0.98):
    # se1 = 0.103437, se2 = (ln .98 - ln .65)/3.919928 = 0.104742; se = 0.147207;
    # HR_AB = 0.85, CI exp(ln .85 +- 1.959964*0.147207) = 0.6370 - 1.1343.
    r = fx.bucher_from_ci(0.68, (0.56, 0.84), 0.80, (0.65, 0.98))
    assert r.hr == pytest.approx(0.85)
    assert r.se == pytest.approx(0.147207, abs=2e-6)
    assert r.lower == pytest.approx(0.6370, abs=2e-4) and r.upper == pytest.approx(1.1343, abs=2e-4)
    # p from the independent normal distribution of scipy
    assert r.p == pytest.approx(2 * stats.norm.sf(abs(math.log(0.85)) / r.se), rel=1e-9)


def test_patient_level_measures_and_discrepancies():
    # Patient data whose HR is far from the reported one; the flat-at-50% reason is checked on a
    # curve built to stay at 0.5 for a long time.
    import numpy as np
    from lifelines import CoxPHFitter
    import pandas as pd
    from evidencegui.core.model import PatientData

    rng = np.random.default_rng(1)
    te = rng.exponential(20, 200); tc = rng.exponential(10, 200)
    e = Arm("E", "experimental", 200, median=5.0, hr=0.9, hr_lower=0.8, hr_upper=0.99, hr_stratified=True,
            patients=PatientData(list(te), [1] * 200, "reconstructed"))
    c = Arm("C", "control", 200, median=6.93, patients=PatientData(list(tc), [1] * 200))
    ep = Endpoint("OS", [e, c])
    comp = fx.compare_arms(Trial("T", [ep]), ep, e, c)
    df = pd.DataFrame({"T": np.r_[te, tc], "E": 1, "x": np.r_[np.ones(200), np.zeros(200)]})
    ref = float(np.exp(CoxPHFitter().fit(df, "T", "E").params_["x"]))
    assert comp.computed["hr"] == pytest.approx(ref, rel=1e-4)
    kinds = {d.measure: d for d in comp.discrepancies}
    assert "hr" in kinds and any("stratified" in r for r in kinds["hr"].reasons)
    assert "median_experimental" in kinds


def test_flat_near_half():
    from evidencegui.core.survival import kaplan_meier
    # 10 patients: events at 1..5 bring S to 0.5, then nothing until 20: flat at 0.5 from 5 to 20.
    km = kaplan_meier([1, 2, 3, 4, 5, 20, 21, 22, 23, 24], [1] * 10)
    span, a, b = fx.flat_near_half(km)
    assert span == pytest.approx(15) and a == 5 and b == 20
