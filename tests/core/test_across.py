"""core.across: the across-trials table, forest studies, subgroup studies and Bucher indirect
comparisons (oracle: the worked example of CLI.md and issue 11, 0.41 / 0.68 = 0.60 (0.45–0.81),
SE 0.153, p 0.00092, computed by hand from the published HRs and CIs)."""
import math

import pytest

from evidencegui.core import across
from evidencegui.core.effects import compare_arms
from evidencegui.core.model import Arm, Endpoint, Project, SubgroupResult, Trial
from evidencegui.io.project_file import load_project
from evidencegui.resources import resource

CTL = "Placebo+Trastuzumab+Docetaxel"


def trial(name, exp_label, ctl_label, hr, lo, hi, endpoint="PFS", comparator="", **exp_kw):
    e = Arm(exp_label, "experimental", hr=hr, hr_lower=lo, hr_upper=hi, **exp_kw)
    c = Arm(ctl_label, "control", comparator=comparator)
    return Trial(name, [Endpoint(endpoint, [e, c])])


def test_cli_md_worked_example_phila_against_cleopatra():
    p = Project([trial("PHILA", "Pyrotinib+Trastuzumab+Docetaxel", CTL, 0.41, 0.32, 0.53),
                 trial("CLEOPATRA", "Pertuzumab+Trastuzumab+Docetaxel", CTL, 0.68, 0.58, 0.80)])
    (ic,) = across.indirect_comparisons(p)
    assert (ic.trial_a, ic.trial_b, ic.comparator, ic.endpoint) == ("PHILA", "CLEOPATRA", CTL, "PFS")
    assert ic.hr == pytest.approx(0.603, abs=5e-4)
    assert ic.hr_ci == pytest.approx((0.447, 0.813), abs=5e-4)
    assert ic.hr_se == pytest.approx(0.153, abs=5e-4)
    assert ic.p == pytest.approx(0.00092, rel=0.02)
    assert ic.rule.startswith(f"HR_A / HR_B through {CTL}: 0.41 / 0.68 = 0.603; SE = √(SE_A² + SE_B²)")
    doc = ic.to_json()
    assert list(doc)[:10] == ["endpoint", "trial_a", "arm_a", "trial_b", "arm_b", "comparator",
                              "hr", "hr_ci", "hr_se", "p"]


def test_the_shipped_example_shows_the_indirect_comparison():
    p = load_project(resource("examples", "cleopatra.evidence.json"))
    (ic,) = across.indirect_comparisons(p)
    assert (ic.trial_a, ic.trial_b) == ("CLEOPATRA", "PHILA")    # A: first in the project
    assert ic.hr == pytest.approx(0.68 / 0.41) and ic.hr_se == pytest.approx(0.153, abs=5e-4)


@pytest.mark.parametrize("ctl_b,comparator_b,comparator_a,expected", [
    ("placebo + trastuzumab + docetaxel", "", "", CTL),          # case and spaces ignored
    ("Trastuzumab+Docetaxel", CTL, "", CTL),                     # B names A's control
    ("Trastuzumab+Docetaxel", "", "trastuzumab+docetaxel", "Trastuzumab+Docetaxel"),
    ("Trastuzumab+Docetaxel", "", "", None),                     # different comparators
])
def test_same_comparator_rules(ctl_b, comparator_b, comparator_a, expected):
    p = Project([trial("A", "X", CTL, 0.5, 0.4, 0.7, comparator=comparator_a),
                 trial("B", "Y", ctl_b, 0.7, 0.5, 0.9, comparator=comparator_b)])
    got = across.indirect_comparisons(p)
    assert [ic.comparator for ic in got] == ([] if expected is None else [expected])


def test_pairs_once_per_endpoint_arms_within_a_trial_not_compared_and_no_ci_no_pair():
    t1 = trial("T1", "A1", "C", 0.5, 0.4, 0.7)
    t1.endpoints[0].arms.append(Arm("A2", "experimental", hr=0.6, hr_lower=0.45, hr_upper=0.8))
    t2 = trial("T2", "B", "C", 0.7, 0.5, 0.9)
    t3 = trial("T3", "D", "C", 0.8, None, None, p_value=0.01)     # SE from p only: left out
    t4 = trial("T4", "E", "C", 0.9, 0.7, 1.1, endpoint="OS")     # another endpoint
    got = across.indirect_comparisons(Project([t1, t2, t3, t4]))
    assert [(ic.trial_a, ic.arm_a, ic.trial_b, ic.arm_b) for ic in got] == [
        ("T1", "A1", "T2", "B"), ("T1", "A2", "T2", "B")]


def test_trial_rows_take_their_numbers_from_compare_arms():
    p = load_project(resource("examples", "cleopatra.evidence.json"))
    rows = across.trial_rows(p)
    assert [(r.trial, r.endpoint) for r in rows] == [("CLEOPATRA", "OS"), ("CLEOPATRA", "PFS"),
                                                     ("PHILA", "PFS")]
    os_ = rows[0]
    c = compare_arms(p.trials[0], p.trials[0].endpoints[0], p.trials[0].endpoints[0].arms[0],
                     p.trials[0].endpoints[0].control)
    assert (os_.median_gain, os_.hr, os_.hr_ci, os_.relative_reduction) == (
        c.median_gain, c.hr, c.hr_ci, c.relative_reduction)
    assert (os_.n_arm, os_.n_control, os_.esmo_grade, os_.esmo_form) == (402, 406, "4", "2a")
    phila = rows[2]
    assert (phila.median_arm, phila.median_control, phila.median_gain) == (24.3, 10.4, 13.9)
    assert "Ma F et al. BMJ 2023" in phila.source
    assert [r.trial for r in across.trial_rows(p, endpoints=["PFS"], trials=["PHILA"])] == ["PHILA"]
    assert across.endpoint_names(p) == ["OS", "PFS"]


def test_median_not_reached_gives_no_gain():
    t = trial("MONALEESA-7-like", "E", "C", 0.71, 0.54, 0.95, median_not_reached=True)
    t.endpoints[0].arms[1].median = 23.0
    (row,) = across.trial_rows(Project([t]))
    assert row.median_gain is None and row.median_arm_not_reached
    assert row.comparison.median_gain_estimated      # core's estimate stays in the comparison


def test_forest_studies_and_what_is_left_out():
    p = Project([trial("A", "X", "C", 0.5, 0.4, 0.7), trial("B", "Y", "C", 0.7, None, None,
                                                            p_value=0.01),
                 trial("C", "Z", "C", None, None, None), trial("D", "W", "C", 0.7, 0.8, 0.9)])
    studies, left = across.forest_studies(p, "PFS")
    assert [s.name for s in studies] == ["A"]
    assert studies[0].se == pytest.approx((math.log(0.7) - math.log(0.4)) / (2 * 1.959964), rel=1e-6)
    assert len(left) == 3
    assert "B / PFS / Y" in left[0] and "95% CI" in left[0]
    assert "no hazard ratio" in left[1]
    assert "D / PFS / W" in left[2] and "contain" in left[2]
    assert across.forest_studies(p, "PFS", trials=["B"])[0] == []


def test_cdk46_example_forest():
    p = load_project(resource("examples", "cdk46.evidence.json"))
    studies, left = across.forest_studies(p, "PFS")
    assert [s.name for s in studies] == ["PALOMA-2", "MONALEESA-2", "MONARCH 3"] and not left
    assert [s.hr_ci for s in studies] == [(0.46, 0.72), (0.43, 0.72), (0.41, 0.72)]


def test_subgroup_studies():
    arm = Arm("E", subgroups=[
        SubgroupResult("Age", "<65", 0.6, 0.5, 0.8), SubgroupResult("Age", ">=65", 0.9, 0.6, 1.3),
        SubgroupResult("Region", "Asia", None), SubgroupResult("Region", "Europe", 0.7, 0.8, 0.9)])
    studies, left = across.subgroup_forest(arm)
    assert [(s.group, s.name) for s in studies] == [("Age", "<65"), ("Age", ">=65")]
    assert "row 3" in left[0] and "no hazard ratio" in left[0]
    assert "row 4" in left[1] and "hr_lower" in left[1]
    assert across.subgroup_studies(arm) == studies


def test_caveat_is_one_sentence_about_transitivity():
    c = across.TRANSITIVITY_CAVEAT
    assert "transitivity" in c and "head-to-head" in c and c.count(". ") == 0
