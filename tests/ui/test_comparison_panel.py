"""The comparison panel shows what core.effects computes, formatted for a clinician, with the
rule of every number, the patient-data values beside the reported ones, and copy as text."""
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication

from evidencegui.core.effects import compare_arms
from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial
from evidencegui.io.project_file import load_project
from evidencegui.ui.comparison_panel import NO_COMPARISON, ComparisonPanel, release_clipboard

from conftest import EXAMPLE

EXP = "Pertuzumab+Trastuzumab+Docetaxel"


@pytest.fixture
def cleopatra():
    return load_project(EXAMPLE)


@pytest.fixture
def panel(qtbot):
    p = ComparisonPanel()
    qtbot.addWidget(p)
    p.resize(440, 700)
    return p


def show(panel, project, trial_name, ep_name):
    trial = project.trial(trial_name)
    ep = trial.endpoint(ep_name)
    panel.set_endpoint(project, trial, ep)
    return trial, ep


def tip(panel, key, column=1, arm=None):
    s = panel.section(arm)
    return panel.items[(s.experimental, key)].toolTip(column)


def test_cleopatra_os_shows_the_values_of_core(panel, cleopatra):
    trial, ep = show(panel, cleopatra, "CLEOPATRA", "OS")
    c = compare_arms(trial, ep, ep.experimental[0], ep.control)
    assert (c.median_gain, round(c.median_ratio, 3), c.hr, c.hr_ci) == (15.7, 1.385, 0.68, (0.56, 0.84))
    assert panel.section().title == f"{EXP} vs Placebo+Trastuzumab+Docetaxel"
    assert panel.text_of(None, "median_gain") == "+15.7"       # io.format.fmt_gain, as the slides
    assert panel.text_of(None, "median_ratio") == "1.38"
    assert "1.385" in tip(panel, "median_ratio")
    assert panel.text_of(None, "hr") == "0.68 (0.56–0.84)"
    assert panel.text_of(None, "p") == "0.0002"
    assert panel.text_of(None, "hr_se") == f"{c.hr_se:.3f}" == "0.103"
    assert panel.text_of(None, "relative_reduction") == "32%"
    assert panel.text_of(None, "median_experimental") == "56.5 (49.3–NR)"
    assert panel.text_of(None, "median_control") == "40.8 (35.8–48.3)"
    # the rule of each number, in its tooltip
    assert tip(panel, "median_gain") == "gain = 56.5 − 40.8 = 15.7"
    assert "ln 0.84 − ln 0.56" in tip(panel, "hr_se")
    assert "1 − HR = 1 − 0.68" in tip(panel, "relative_reduction")
    # ESMO-MCBS: grade, form and the rule that fired, on hover and in the expandable row
    assert panel.text_of(None, "esmo") == "grade 4 (form 2a)"
    rule = "control median > 24 months; HR lower 95% limit 0.56 <= 0.70 and gain 15.7 >= 9 months"
    assert c.esmo.rule == rule and tip(panel, "esmo") == rule
    esmo_item = panel.items[(EXP, "esmo")]
    children = [esmo_item.child(i).text(0) for i in range(esmo_item.childCount())]
    assert f"Rule: {rule}" in children and "Preliminary grade: 4" in children
    assert all(esmo_item.child(i).isFirstColumnSpanned() for i in range(esmo_item.childCount()))
    # expanding the detail rows must not push the numbers out of view
    esmo_item.setExpanded(True)
    header = panel.tree.header()
    assert header.sectionSize(1) < panel.tree.fontMetrics().horizontalAdvance(rule)
    panel.tree.setCurrentItem(esmo_item)
    assert rule in panel.detail_text() and "Preliminary grade: 4" in panel.detail_text()


def test_patient_data_beside_reported_with_the_os_discrepancy(panel, cleopatra):
    show(panel, cleopatra, "CLEOPATRA", "OS")
    assert not panel.tree.isColumnHidden(2)
    assert panel.tree.headerItem().text(2) == "Reconstructed"
    assert panel.text_of(None, "median_experimental", 2) == "⚠ 60.3 (50.1–NR)"
    assert panel.text_of(None, "hr", 2) == "0.68 (0.55–0.83)"
    row = panel.section().row("median_experimental")
    assert "60.3" in row.flag and "56.5" in row.flag
    assert "within 0.02 of 50%" in row.flag and "reconstructed" in row.flag
    item = panel.items[(EXP, "median_experimental")]
    assert item.background(2).color().name() == "#fbe3b0"
    # shown without selecting anything, and in the tooltip of the flagged cell
    assert "differs from the reported 56.5" in panel.detail_text()
    assert "within 0.02 of 50%" in item.toolTip(2)
    # no flag on what agrees
    assert not panel.section().row("hr").flag
    assert not panel.text_of(None, "median_control", 2).startswith("⚠")
    # RMST only from patient data, with its rule
    assert panel.text_of(None, "rmst_difference", 1) == "—"
    assert panel.text_of(None, "rmst_difference", 2).startswith("6.7 (")
    assert "(experimental) − " in tip(panel, "rmst_difference", 2)
    assert panel.text_of(None, "rmst_ratio", 2).startswith("1.16 (")


def test_typing_a_median_in_the_arms_table_updates_the_panel(window):
    panel = window.comparison.external
    assert isinstance(panel, ComparisonPanel)
    assert panel.text_of(None, "median_gain") == "+15.7"       # io.format.fmt_gain, as the slides
    exp = next(i for i, a in enumerate(window.model.arms()) if not a.is_control)
    idx = window.model.index(exp, window.model.column_index("median"))
    assert window.model.setData(idx, "60.8", Qt.ItemDataRole.EditRole)
    assert panel.text_of(None, "median_gain") == "+20.0"
    assert tip(panel, "median_gain") == "gain = 60.8 − 40.8 = 20"
    assert panel.text_of(None, "median_ratio") == "1.49"
    window.act_undo.trigger()
    assert panel.text_of(None, "median_gain") == "+15.7"       # io.format.fmt_gain, as the slides


def test_one_arm_endpoint_says_why_there_is_no_comparison(panel):
    p = Project(trials=[Trial("SOLO", [Endpoint("OS", [Arm("Drug", n=50, median=12.0)])])])
    show(panel, p, "SOLO", "OS")
    assert panel.message_label.isVisibleTo(panel) and not panel.splitter.isVisibleTo(panel)
    assert panel.message_label.text().startswith(NO_COMPARISON)
    assert "one arm" in panel.message_label.text()
    assert NO_COMPARISON == "No comparison: needs a control and an experimental arm."
    assert NO_COMPARISON in panel.as_text()
    # two arms but no control
    p.trials[0].endpoints[0].arms.append(Arm("Other", n=50))
    show(panel, p, "SOLO", "OS")
    assert "Make control" in panel.message_label.text()
    panel.set_endpoint(p, None, None)
    assert panel.message_label.text() == "No endpoint selected."


def _two_arms(exp_kwargs, ctl_kwargs=None):
    ctl = Arm("Standard", role="control", n=200, **(ctl_kwargs or {}))
    exp = Arm("New", n=200, **exp_kwargs)
    return Project(trials=[Trial("T", [Endpoint("OS", [ctl, exp])])])


def test_nnt_harm_from_reported_landmarks(panel):
    p = _two_arms({"hr": 1.25, "hr_lower": 1.02, "hr_upper": 1.53, "landmarks": [Landmark(24, 0.40)]},
                  {"landmarks": [Landmark(24, 0.50)]})
    show(panel, p, "T", "OS")
    assert panel.text_of(None, "landmark:24") == "−10.0 pts · NNH 10"   # as the slides and workbook
    assert "NNH (harm) = ⌈1 / |−0.1|⌉ = 10" in tip(panel, "landmark:24")
    assert panel.text_of(None, "relative_reduction") == "−25%"
    assert "higher in the experimental arm" in panel.section().row("relative_reduction").note
    assert panel.tree.isColumnHidden(2)          # no patient data: no patient-data column


def test_nnt_ci_crossing_zero_is_called_unbounded(panel):
    # two arms with nearly the same survival: the CI of the 12-month difference includes 0
    times = [float(t) for t in range(1, 41)]
    ctl = PatientData(times, [1 if i % 2 else 0 for i in range(40)])
    exp = PatientData([t + 0.5 for t in times], [1 if i % 2 else 0 for i in range(40)])
    p = _two_arms({"patients": exp, "hr": 0.95, "hr_lower": 0.5, "hr_upper": 1.8}, {"patients": ctl})
    show(panel, p, "T", "OS")
    row = panel.section().row("landmark:12")
    assert row is not None and row.computed.endswith(" *")
    assert "CI crosses zero → NNT CI unbounded" in row.note
    assert "CI crosses zero → NNT CI unbounded" in tip(panel, "landmark:12", 2)
    assert "CI crosses zero → NNT CI unbounded" in panel.detail_text()


def test_median_not_reached(panel):
    p = _two_arms({"median_not_reached": True, "median_lower": 30.0, "hr": 0.6, "hr_lower": 0.45,
                   "hr_upper": 0.8}, {"median": 24.0, "median_lower": 20.0, "median_upper": 28.1})
    show(panel, p, "T", "OS")
    assert panel.text_of(None, "median_experimental") == "not reached (30.0–NR)"
    assert panel.text_of(None, "median_gain") == "≈ +16.0"
    assert "24 / 0.6 − 24 = 16" in tip(panel, "median_gain")
    assert "not reached" in tip(panel, "median_gain")
    assert panel.text_of(None, "median_ratio") == "—"
    # both not reached: no gain
    p.trials[0].endpoints[0].arms[0].median = None
    p.trials[0].endpoints[0].arms[0].median_not_reached = True
    show(panel, p, "T", "OS")
    assert panel.text_of(None, "median_gain") == "not estimable"


def test_copy_as_text_for_an_email(panel, cleopatra):
    show(panel, cleopatra, "CLEOPATRA", "OS")
    panel.copy_button.click()
    mime = QGuiApplication.clipboard().mimeData()
    text = mime.text()
    assert text == panel.as_text()
    assert text.startswith("CLEOPATRA — OS")
    line = next(x for x in text.splitlines() if x.startswith("HR (95% CI)"))
    assert "0.68 (0.56–0.84)" in line and "0.68 (0.55–0.83)" in line
    assert "ESMO-MCBS rule: control median > 24 months" in text
    assert "⚠ the experimental median from the patient data (60.3)" in text
    assert "<table" in mime.html() and "0.68 (0.56–0.84)" in mime.html()
    # at quit the data go back to Qt as plain text (a Python-made QMimeData crashes the exit)
    release_clipboard()
    assert QGuiApplication.clipboard().text() == text
    assert not QGuiApplication.clipboard().mimeData().hasHtml()


def test_selection_survives_a_refresh(panel, cleopatra):
    trial, ep = show(panel, cleopatra, "CLEOPATRA", "OS")
    panel.tree.setCurrentItem(panel.items[(EXP, "hr")])
    panel.items[(EXP, "esmo")].setExpanded(True)
    ep.experimental[0].hr = 0.70
    panel.set_endpoint(cleopatra, trial, ep)
    assert panel.tree.currentItem() is panel.items[(EXP, "hr")]
    assert panel.items[(EXP, "esmo")].isExpanded() and not panel.items[(EXP, "landmark:12")].isExpanded()
    assert "Reported: 0.70 (0.56–0.84)" in panel.detail_text()


def test_key_numbers_fit_without_horizontal_scrolling(panel, cleopatra, qtbot):
    show(panel, cleopatra, "CLEOPATRA", "OS")
    panel.show()
    qtbot.waitExposed(panel)
    header = panel.tree.header()
    used = sum(header.sectionSize(i) for i in range(3) if not panel.tree.isColumnHidden(i))
    assert used <= panel.tree.viewport().width() + 1
    fm = panel.tree.fontMetrics()
    assert header.sectionSize(1) >= fm.horizontalAdvance("0.68 (0.56–0.84)")
    assert header.sectionSize(2) >= fm.horizontalAdvance("⚠ 60.3 (50.1–NR)")


def test_each_experimental_arm_gets_its_own_comparison(panel):
    ctl = Arm("Chemo", role="control", n=300, median=10.0)
    a = Arm("Drug A", n=300, median=14.0, hr=0.70, hr_lower=0.58, hr_upper=0.85)
    b = Arm("Drug B", n=300, median=9.0, hr=1.10, hr_lower=0.90, hr_upper=1.34)
    p = Project(trials=[Trial("THREE", [Endpoint("PFS", [ctl, a, b])])])
    show(panel, p, "THREE", "PFS")
    assert [s.title for s in panel.sections] == ["Drug A vs Chemo", "Drug B vs Chemo"]
    assert panel.text_of("Drug A", "median_gain") == "+4.0"
    assert panel.text_of("Drug B", "median_gain") == "−1.0"
    assert panel.text_of("Drug B", "hr") == "1.10 (0.90–1.34)"
    assert "not statistically significant" in tip(panel, "hr", arm="Drug B")
    text = panel.as_text()
    assert "Drug A vs Chemo" in text and "Drug B vs Chemo" in text


def test_single_arm_study_gets_its_form_3_grade_beside_the_message(panel):
    t = Trial("SINGLE", [Endpoint("ORR", [Arm("Drug", n=50, orr=0.45, dor=11.0)])], single_arm=True)
    p = Project(trials=[t])
    show(panel, p, "SINGLE", "ORR")
    msg = panel.message_label.text()
    assert msg.startswith(NO_COMPARISON)
    assert "ESMO-MCBS form 3 (single arm): preliminary grade 3" in msg
    assert "duration of response 11 >= 9 months" in msg


def test_a_divider_the_user_moved_stays_where_it_is(panel, cleopatra, qtbot):
    trial, ep = show(panel, cleopatra, "CLEOPATRA", "OS")
    panel.show()
    qtbot.waitExposed(panel)
    panel.set_endpoint(cleopatra, trial, ep)
    panel.splitter.splitterMoved.emit(200, 1)      # as a drag of the handle does
    panel.splitter.setSizes([200, 400])
    before = panel.splitter.sizes()
    ep.experimental[0].median = 58.0               # a typed value refreshes the panel
    panel.set_endpoint(cleopatra, trial, ep)
    assert panel.splitter.sizes() == before


def test_the_fallback_summary_says_why_and_writes_numbers_as_everywhere(qtbot, cleopatra, monkeypatch):
    """Should the full panel fail to build, the dock still shows each comparison (numbers as
    io/format writes them, checked against core.effects) and says why in its note."""
    import sys

    from evidencegui.io import format as fmt
    from evidencegui.ui.panels import ComparisonView
    monkeypatch.setitem(sys.modules, "evidencegui.ui.comparison_panel", None)   # the import fails
    view = ComparisonView()
    qtbot.addWidget(view)
    assert view.external is None and "not available" in view.note
    t = cleopatra.trial("CLEOPATRA")
    ti = cleopatra.trials.index(t)
    ei = next(i for i, e in enumerate(t.endpoints) if e.name == "OS")
    view.show_endpoint(cleopatra, ti, ei)
    ep = t.endpoints[ei]
    c = compare_arms(t, ep, ep.experimental[0], ep.control).to_json()
    assert fmt.fmt_hr(c["hr"], *c["hr_ci"]) in view.last_text          # 0.68 (0.56–0.84)
    assert fmt.fmt_gain(c["median_gain"]) in view.last_text             # +15.7
    assert "0.68 (0.56–0.84)" in view.last_text and "+15.7" in view.last_text


def test_same_sections_leave_the_tree_alone_and_an_edit_fills_it(panel, cleopatra):
    # A view setting (CI bands, time axis) refreshes the panel with the same sections: the tree
    # is kept (a 10-arm endpoint took ~30 ms to fill); a changed value fills it again.
    show(panel, cleopatra, "CLEOPATRA", "OS")
    items = dict(panel.items)
    show(panel, cleopatra, "CLEOPATRA", "OS")
    assert all(panel.items[k] is items[k] for k in items)
    arm = cleopatra.trial("CLEOPATRA").endpoint("OS").arms[0]
    old = arm.median
    try:
        arm.median = 99.0
        show(panel, cleopatra, "CLEOPATRA", "OS")
        assert any(panel.items[k] is not items[k] for k in items)
        assert any("99" in it.text(1) for it in panel.items.values())
    finally:
        arm.median = old


def test_sections_open_and_detail_lines_span_the_row(panel, cleopatra):
    show(panel, cleopatra, "CLEOPATRA", "OS")
    tree = panel.tree
    assert tree.topLevelItemCount() >= 1
    for i in range(tree.topLevelItemCount()):
        head = tree.topLevelItem(i)
        assert head.isExpanded() and head.isFirstColumnSpanned()
        for j in range(head.childCount()):
            row = head.child(j)
            assert not row.isExpanded() and not row.isFirstColumnSpanned()
            assert all(row.child(k).isFirstColumnSpanned() for k in range(row.childCount()))
