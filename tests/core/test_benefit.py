"""ESMO-MCBS v1.1 grades against the tables of ../shared/ESMO-MCBS.md (Cherny et al., Ann Oncol
2017;28:2340-66): every stratum, the grade boundaries, not reached, 2b -> 2a, missing inputs."""
import pytest

from evidencegui.core.effects import compare_arms
from evidencegui.core.model import Arm, Endpoint, Landmark, Trial


def grade(endpoint, ctl_median, exp_median, hr_ll, hr=None, flags=None, p=0.01, setting="non-curative",
          exp_nr=False, landmarks=None, hr_upper=None):
    hr = hr if hr is not None else min(0.99, hr_ll + 0.1)
    e = Arm("E", "experimental", median=None if exp_nr else exp_median, median_not_reached=exp_nr,
            hr=hr, hr_lower=hr_ll, hr_upper=hr_upper if hr_upper is not None else max(hr + 0.01, 0.999 if p < 0.05 else 1.2),
            p_value=p, landmarks=[Landmark(t, s) for t, s in (landmarks or {}).get("E", [])])
    c = Arm("C", "control", median=ctl_median,
            landmarks=[Landmark(t, s) for t, s in (landmarks or {}).get("C", [])])
    ep = Endpoint(endpoint, [e, c], esmo_flags=flags or {})
    t = Trial("T", [ep], setting=setting)
    return compare_arms(t, ep, e, c).esmo


# (control median, gain, HR-LL) -> preliminary grade, Form 2a
CASES_2A = [
    # control <= 12: grade 4 needs HR-LL <= 0.65 and gain >= 3
    (10, 3.0, 0.65, 4), (10, 2.9, 0.65, 3), (10, 2.0, 0.60, 3), (10, 1.9, 0.60, 2),
    (10, 1.5, 0.60, 2), (10, 1.4, 0.60, 1), (10, 5.0, 0.66, 2), (10, 5.0, 0.70, 2),
    (10, 5.0, 0.71, 1), (12, 3.0, 0.65, 4),
    # 12 < control <= 24: HR-LL <= 0.70 and gain >= 5 for 4
    (12.1, 5.0, 0.70, 4), (20, 4.9, 0.70, 3), (20, 3.0, 0.70, 3), (20, 2.9, 0.70, 2),
    (20, 1.5, 0.70, 2), (20, 1.4, 0.50, 1), (20, 9.0, 0.75, 2), (20, 9.0, 0.76, 1), (24, 5.0, 0.7, 4),
    # control > 24: HR-LL <= 0.70 and gain >= 9 for 4
    (24.1, 9.0, 0.70, 4), (40.8, 15.7, 0.56, 4), (30, 8.9, 0.70, 3), (30, 6.0, 0.70, 3),
    (30, 5.9, 0.70, 2), (30, 4.0, 0.70, 2), (30, 3.9, 0.70, 1), (30, 10, 0.75, 2), (30, 10, 0.751, 1),
]


@pytest.mark.parametrize("ctl,gain,hr_ll,expected", CASES_2A)
def test_form_2a_table(ctl, gain, hr_ll, expected):
    g = grade("OS", ctl, ctl + gain, hr_ll)
    assert g.form == "2a"
    assert g.preliminary_grade == expected, g.rule
    assert g.final_grade == expected and not g.missing


def test_cleopatra_rule_text():
    g = grade("OS", 40.8, 56.5, 0.56, hr=0.68, hr_upper=0.84, p=0.0002)
    assert g.preliminary_grade == 4 and g.final_grade == 4
    assert g.rule == ("control median > 24 months; HR lower 95% limit 0.56 <= 0.70 and gain "
                      "15.7 >= 9 months")
    assert g.stratum == "control median > 24 months"
    met = [t for t in g.thresholds if t["grade"] == 4 and t["route"] == 1]
    assert {t["quantity"]: (t["value"], t["met"]) for t in met} == {"hr_ll": (0.56, True),
                                                                    "gain": (pytest.approx(15.7), True)}


def test_float_noise_at_boundary():
    # 5.3 - 2.3 is 2.9999999999999996 in binary; the gain is 3 months and earns grade 4.
    assert grade("OS", 2.3, 5.3, 0.6).preliminary_grade == 4


@pytest.mark.parametrize("ctl,yr,expected", [(10, 24, 4), (20, 36, 4), (30, 60, 4), (30, 36, 1)])
def test_form_2a_landmark_route(ctl, yr, expected):
    # gain too small for grade 4 by medians, but survival at the stratum's year increases 10 points
    lms = {"E": [(yr, 0.40)], "C": [(yr, 0.30)]}
    g = grade("OS", ctl, ctl + 0.5, 0.60, landmarks=lms)
    assert g.preliminary_grade == expected, g.rule
    if expected == 4:
        assert "survival increase 10 >= 10 points" in g.rule


def test_not_reached_uses_gain_estimated_from_hr():
    # control 20 months, HR 0.70: 20/0.7 - 20 = 8.57 months (estimated) -> grade 4 (>= 5)
    g = grade("OS", 20, None, 0.60, hr=0.70, exp_nr=True)
    assert g.preliminary_grade == 4
    assert "estimated from the HR" in g.rule


@pytest.mark.parametrize("ctl,gain,hr_ll,expected", [
    (5, 1.5, 0.65, 3), (5, 1.4, 0.65, 2), (5, 5, 0.66, 1), (6, 1.5, 0.5, 3),
    (6.1, 3.0, 0.65, 3), (10, 2.9, 0.5, 2), (10, 5, 0.651, 1)])
def test_form_2b_table(ctl, gain, hr_ll, expected):
    g = grade("PFS", ctl, ctl + gain, hr_ll)
    assert g.form == "2b" and g.preliminary_grade == expected, g.rule


def test_form_2b_adjustments_and_cap():
    g = grade("PFS", 10, 14, 0.5, flags={"qol_improved": True, "toxicity_reduced": True})
    assert g.preliminary_grade == 3 and g.final_grade == 4          # 3 + 2, capped at 4
    g = grade("PFS", 10, 14, 0.5, flags={"os_no_advantage": True})
    assert g.final_grade == 2
    g = grade("PFS", 10, 14, 0.5, flags={"os_no_advantage": True, "qol_improved": True})
    assert g.final_grade == 4                                       # -1 does not apply with QoL
    g = grade("OS", 40.8, 56.5, 0.56, flags={"qol_improved": True, "toxicity_reduced": True})
    assert g.final_grade == 5                                       # 2a: +1 only, maximum 5


def test_form_2b_switches_to_2a_on_os():
    os_e = Arm("E", "experimental", median=56.5, hr=0.68, hr_lower=0.56, hr_upper=0.84, p_value=0.0002)
    os_c = Arm("C", "control", median=40.8)
    pfs_e = Arm("E", "experimental", median=18.7, hr=0.68, hr_lower=0.58, hr_upper=0.80)
    pfs_c = Arm("C", "control", median=12.4)
    os = Endpoint("OS", [os_e, os_c])
    pfs = Endpoint("PFS", [pfs_e, pfs_c], primary=True, esmo_flags={"os_improved": True})
    t = Trial("T", [pfs, os])
    g = compare_arms(t, pfs, pfs_e, pfs_c).esmo
    assert g.form == "2a" and g.graded_endpoint == "OS" and g.preliminary_grade == 4
    assert g.rule.startswith("graded on OS")
    pfs.esmo_flags = {}
    g = compare_arms(t, pfs, pfs_e, pfs_c).esmo
    assert g.form == "2b" and g.preliminary_grade == 3               # 12.4 > 6, 0.58, gain 6.3
    # flag set but no OS endpoint: stays 2b with a note
    pfs.esmo_flags = {"os_improved": True}
    g = compare_arms(Trial("T", [pfs]), pfs, pfs_e, pfs_c).esmo
    assert g.form == "2b" and any("no OS results" in n for n in g.notes)


def test_missing_inputs_are_named():
    e = Arm("E", "experimental", median=12, hr=0.7, p_value=0.01)     # no CI
    c = Arm("C", "control", median=10)
    ep = Endpoint("OS", [e, c])
    g = compare_arms(Trial("T", [ep]), ep, e, c).esmo
    assert g.preliminary_grade is None and any("lower limit" in m for m in g.missing)
    c.median, c.median_not_reached = None, True
    e.hr_lower, e.hr_upper = 0.5, 0.9
    g = compare_arms(Trial("T", [ep]), ep, e, c).esmo
    assert g.preliminary_grade is None and any("control median" in m for m in g.missing)
    # not significant
    g = grade("OS", 10, 14, 0.6, hr=0.9, p=0.2, hr_upper=1.2)
    assert g.preliminary_grade is None and any("significant" in m for m in g.missing)
    assert g.rule.startswith("cannot grade")


def test_form_3_single_arm():
    def g3(orr=None, dor=None, pfs=None, flags=None):
        arms = Arm("A", "experimental", orr=orr, dor=dor)
        eps = [Endpoint("ORR", [arms], esmo_flags=flags or {})]
        if pfs is not None:
            eps.append(Endpoint("PFS", [Arm("A", "experimental", median=pfs)]))
        t = Trial("S", eps, single_arm=True)
        return compare_arms(t, eps[0], arms, None).esmo
    assert g3(orr=0.60).preliminary_grade == 3
    assert g3(orr=0.30, dor=9).preliminary_grade == 3
    assert g3(orr=0.45).preliminary_grade == 2
    assert g3(orr=0.30, dor=7).preliminary_grade == 2
    assert g3(orr=0.30, dor=3).preliminary_grade == 1
    assert g3(orr=0.15, dor=6).preliminary_grade == 1
    assert g3(pfs=6).preliminary_grade == 3 and g3(pfs=3).preliminary_grade == 2
    assert g3(pfs=2).preliminary_grade == 1
    assert g3(orr=0.05).preliminary_grade is None
    assert g3().missing
    assert g3(orr=0.60, flags={"toxicity_increased": True}).final_grade == 2


def test_form_1_curative():
    lm = lambda d: {"E": [(60, 0.70 + d)], "C": [(60, 0.70)]}
    assert grade("OS", 100, 110, 0.7, setting="curative", landmarks=lm(0.06)).preliminary_grade == "A"
    assert grade("OS", 100, 110, 0.7, setting="curative", landmarks=lm(0.04)).preliminary_grade == "B"
    assert grade("OS", 100, 110, 0.7, setting="curative", landmarks=lm(0.02)).preliminary_grade == "C"
    assert grade("DFS", 100, 110, 0.60, setting="curative").preliminary_grade == "A"
    assert grade("DFS", 100, 110, 0.65, setting="curative").preliminary_grade == "B"
    assert grade("DFS", 100, 110, 0.80, setting="curative").preliminary_grade == "B"
    assert grade("DFS", 100, 110, 0.81, setting="curative").preliminary_grade == "C"
    g = grade("OS", 100, 110, 0.7, setting="curative")
    assert g.preliminary_grade is None and g.missing


def test_thresholds_are_data():
    from evidencegui.core import esmo_v1_1
    assert set(esmo_v1_1.FORMS) == {"1", "2a", "2b", "3"}
    for form in esmo_v1_1.FORMS.values():
        for st in form["strata"]:
            for _, routes in st["grades"]:
                for route in routes:
                    for q, op, thr in route:
                        assert q in esmo_v1_1.QUANTITIES and op in ("<=", "<", ">=", ">", "==")
