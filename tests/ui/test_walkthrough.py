"""Found while walking through the window as a clinician: the import dialogs' rough edges."""
import pytest
from PySide6.QtWidgets import QDialogButtonBox, QInputDialog, QTableWidgetItem

from evidencegui.resources import resource

CURVE = resource("examples", "cleopatra", "os_digitized.csv")
AT_RISK = resource("examples", "cleopatra", "os_at_risk.csv")


def _digitized(qtbot, at_risk=AT_RISK):
    from evidencegui.ui.dialogs.digitized import DigitizedImportDialog
    d = DigitizedImportDialog(None, CURVE, at_risk, "T", "OS")
    qtbot.addWidget(d)
    return d


def _ok(d):
    return d.buttons.button(QDialogButtonBox.StandardButton.Ok)


def test_at_risk_columns_named_otherwise_are_matched_in_order(qtbot, tmp_path):
    lines = AT_RISK.read_text().splitlines()
    renamed = tmp_path / "nar.csv"
    renamed.write_text("\n".join(["time,Pertuzumab,Placebo"] + lines[1:]) + "\n")
    d = _digitized(qtbot, renamed)
    assert d.nar.item(0, 1).text() == "402" and d.nar.item(0, 2).text() == "406"
    assert "matched in order" in d.report.toPlainText()
    assert d.run()


@pytest.mark.parametrize("text, words", [("abc", "not a whole number"), ("-5", "not a whole number"),
                                         ("12.7", "not a whole number"), ("500", "can only fall")])
def test_a_typed_count_that_cannot_be_is_refused_with_its_cell(qtbot, text, words):
    d = _digitized(qtbot)
    d.nar.setItem(2, 1, QTableWidgetItem(text))
    assert not d.run()
    msg = d.report.toPlainText()
    assert "row 3" in msg and words in msg and not _ok(d).isEnabled()


def test_a_typed_time_that_is_not_a_number_is_refused(qtbot):
    d = _digitized(qtbot)
    d.nar.setItem(3, 0, QTableWidgetItem("ten"))
    assert not d.run()
    assert "row 4, time: 'ten' is not a number" in d.report.toPlainText()


def test_ok_waits_for_a_new_reconstruction_after_the_grid_changes(qtbot):
    d = _digitized(qtbot)
    assert d.run() and _ok(d).isEnabled()
    d.nar.setItem(1, 1, QTableWidgetItem("370"))
    assert not _ok(d).isEnabled() and "Reconstruct again" in d.report.toPlainText()
    assert d.run() and _ok(d).isEnabled()
    d.nar.setItem(2, 1, QTableWidgetItem("x"))
    assert not d.run() and not _ok(d).isEnabled() and not d.results


def test_changing_the_scale_keeps_the_labels_roles_and_counts_typed(qtbot):
    d = _digitized(qtbot)
    d.arms.item(0, 1).setText("Pertuzumab arm")
    d.arms.cellWidget(0, 2).setCurrentText("control")
    d.scale.setCurrentText("unit")
    assert d.arms.item(0, 1).text() == "Pertuzumab arm"
    assert d.arms.cellWidget(0, 2).currentText() == "control"
    assert d.nar.item(0, 1).text() == "402"


def _mapping_dialog(qtbot, tmp_path, columns, rows):
    from evidencegui.ui.dialogs.column_mapping import PatientImportDialog
    d = PatientImportDialog(tmp_path / "x.csv", columns, rows)
    qtbot.addWidget(d)
    return d


def test_times_in_days_are_questioned_and_the_unit_follows_the_column_name(qtbot, tmp_path):
    rows = [["1521", "1", "Lev+5FU"], ["3087", "0", "Obs"], ["963", "1", "Lev"]]
    d = _mapping_dialog(qtbot, tmp_path, ["time", "event", "arm"], rows)
    assert d.time_unit.currentText() == "months" and "days" in d.unit_hint.text()
    d.time_unit.setCurrentText("days")
    assert d.unit_hint.text() == ""
    d2 = _mapping_dialog(qtbot, tmp_path, ["os_days", "event", "arm"], rows)
    assert d2.time_unit.currentText() == "days" and d2.unit_hint.text() == ""


def test_the_likely_control_is_chosen_and_a_typed_one_is_trimmed(qtbot, tmp_path):
    rows = [["10", "1", "Lev+5FU"], ["20", "0", "Obs"], ["30", "1", "Lev"]]
    d = _mapping_dialog(qtbot, tmp_path, ["months", "event", "arm"], rows)
    assert d.mapping()["control"] == "Obs"
    d.control.setCurrentText("Lev ")
    assert d.mapping()["control"] == "Lev"


def _sorted_patients(tmp_path):
    csv = tmp_path / "sorted.csv"
    rows = ["time,event,arm"] + [f"{i + 1},{i % 2},{arm}" for arm in ("B", "A", "Obs") for i in range(25)]
    csv.write_text("\n".join(rows) + "\n")
    return csv


def test_a_control_not_among_the_arms_is_asked_for(window, tmp_path, monkeypatch):
    asked = []
    monkeypatch.setattr(QInputDialog, "getItem",
                        lambda *a, **k: asked.append(a[3]) or ("Obs", True))
    mapping = {"time_col": "time", "event_col": "event", "arm_col": "arm", "event_value": "1",
               "time_unit": "months", "control": "Observation", "trial": "SORTED", "endpoint": "OS"}
    assert window.import_patients(str(_sorted_patients(tmp_path)), mapping)
    assert asked == [["B", "A", "Obs"]]
    arms = window.project.trial("SORTED").endpoint("OS").arms
    assert arms[0].label == "Obs" and arms[0].is_control
    assert [a.is_control for a in arms].count(True) == 1


def test_cancelling_the_control_question_imports_nothing(window, tmp_path, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getItem", lambda *a, **k: ("", False))
    mapping = {"time_col": "time", "event_col": "event", "arm_col": "arm", "event_value": "1",
               "time_unit": "months", "control": "", "trial": "SORTED", "endpoint": "OS"}
    assert not window.import_patients(str(_sorted_patients(tmp_path)), mapping)
    assert window.project.trial("SORTED") is None


def test_an_add_on_arm_naming_its_comparator_is_not_taken_for_the_control(qtbot, tmp_path):
    rows = [["10", "1", "Nivolumab + standard chemo"], ["20", "0", "Standard chemo"]]
    d = _mapping_dialog(qtbot, tmp_path, ["months", "event", "arm"], rows)
    assert d.mapping()["control"] == "Standard chemo"


def test_event_coded_1_and_2_follows_r_and_says_so(qtbot, tmp_path):
    rows = [["10", "2", "A"], ["20", "1", "B"], ["5", "2", "B"]]
    d = _mapping_dialog(qtbot, tmp_path, ["months", "status", "arm"], rows)
    assert d.mapping()["event_value"] == "2" and "R's convention" in d.event_hint.text()


def test_a_preview_of_censored_rows_only_does_not_make_censoring_the_event(qtbot, tmp_path):
    rows = [["100", "0", "A"], ["90", "0", "B"]]
    d = _mapping_dialog(qtbot, tmp_path, ["months", "event", "arm"], rows)
    assert d.mapping()["event_value"] == "1" and "censored" in d.event_hint.text()
    d2 = _mapping_dialog(qtbot, tmp_path, ["months", "vital_status", "arm"], [["1", "alive", "A"]])
    assert d2.mapping()["event_value"] == "dead"
    d3 = _mapping_dialog(qtbot, tmp_path, ["months", "event", "arm"], [["1", "1", "A"], ["2", "0", "B"]])
    assert d3.mapping()["event_value"] == "1" and d3.event_hint.text() == ""


def test_a_figure_with_a_years_axis_is_stored_in_months(qtbot):
    """The axis unit of the figure is chosen in the dialog; patient data are kept in months."""
    d = _digitized(qtbot)
    assert d.time_unit.currentText() == "months"
    assert d.run()
    months = d.build_project().trials[0].endpoints[0].arms[0].patients.time
    d.time_unit.setCurrentText("years")
    years = d.build_project().trials[0].endpoints[0].arms[0].patients.time
    assert years == pytest.approx([12.0 * t for t in months])
    rec = d.build_project().trials[0].endpoints[0].arms[0].patients.reconstruction
    assert rec["axis_unit"] == "years"
