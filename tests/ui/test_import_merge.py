"""Imports into an existing trial merge by arm name and say what changed; a no-op says so.

Through File → Import digitized curve… / Import summary table… (the QActions a user triggers):
importing the CLEOPATRA digitized curve into a trial typed by hand used to leave its modelled
curves in place while the status bar said "Imported digitized from os_digitized.csv"."""
import pytest
from PySide6.QtWidgets import QDialog, QFileDialog

from evidencegui.core.merge import guess_arm_map, plan_merge, unmatched
from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.resources import resource
from evidencegui.ui.dialogs.digitized import DigitizedImportDialog
from evidencegui.ui.dialogs.merge import ArmMatchDialog

CURVE = resource("examples", "cleopatra", "os_digitized.csv")
AT_RISK = resource("examples", "cleopatra", "os_at_risk.csv")
PERT, PLAC = "Pertuzumab+Trastuzumab+Docetaxel", "Placebo+Trastuzumab+Docetaxel"


def _typed_trial():
    return Trial("CLEOPATRA", [Endpoint("OS", [
        Arm("Placebo", role="control", n=406, events=221, median=40.8),
        Arm("Pertuzumab", n=402, events=168, median=56.5, hr=0.68, hr_lower=0.56, hr_upper=0.84)])])


@pytest.fixture
def digitized_dialog_answers(monkeypatch):
    """The digitized-import dialog, answered as a user would: the example's curve and numbers
    at risk, Reconstruct, OK."""
    def exec_(self):
        self.load_curve(CURVE)
        self.load_at_risk(AT_RISK)
        assert self.run(), self.report.toPlainText()
        self._accept()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(DigitizedImportDialog, "exec", exec_)


def test_digitized_curve_into_a_typed_trial_attaches_the_data_through_the_menu(
        window, digitized_dialog_answers, monkeypatch):
    window.set_project(Project(trials=[_typed_trial()]))
    window.show_endpoint(0, 0)
    seen = {}

    def answer(self):
        seen["preview"] = self.preview.toPlainText()
        seen["map"] = self.arm_map()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ArmMatchDialog, "exec", answer)
    window.act_import_digitized.trigger()
    ep = window.project.trials[0].endpoints[0]
    assert [a.label for a in ep.arms] == ["Placebo", "Pertuzumab"]        # merged, none added
    assert seen["map"] == {("CLEOPATRA", "OS", PLAC): "Placebo", ("CLEOPATRA", "OS", PERT): "Pertuzumab"}
    assert "reconstructed data (406 patients" in seen["preview"]
    assert all(a.patients is not None and a.patients.origin == "reconstructed" for a in ep.arms)
    assert ep.arms[0].n == 406 and ep.arms[0].median == 40.8              # reported values kept
    msg = window.statusBar().currentMessage()
    assert msg.startswith("Imported from os_digitized.csv: CLEOPATRA / OS / Pertuzumab: reconstructed data")
    assert "CLEOPATRA / OS / Placebo: reconstructed data (406 patients" in msg
    window.act_undo.trigger()
    assert all(a.patients is None for a in window.project.trials[0].endpoints[0].arms)


def test_importing_the_same_curve_again_is_reported_as_a_no_op(window, digitized_dialog_answers):
    window.open_path(resource("examples", "cleopatra.evidence.json"))
    window.show_endpoint(0, 0)
    window.act_import_digitized.trigger()     # the example already holds this reconstruction
    depth = window.controller.stack.count()
    window.act_import_digitized.trigger()
    assert window.controller.stack.count() == depth                     # nothing recorded
    assert window.statusBar().currentMessage().startswith("Nothing imported from os_digitized.csv")


def test_summary_table_into_an_existing_trial_replaces_what_differs(window, tmp_path, monkeypatch):
    window.set_project(Project(trials=[_typed_trial()]))
    table = tmp_path / "cleo.csv"
    table.write_text("trial,endpoint,arm,role,n,events,median\n"
                     "CLEOPATRA,OS,Placebo,control,406,221,40.8\n"
                     "CLEOPATRA,OS,Pertuzumab,experimental,402,168,57.1\n")
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(table), "")))
    window.act_import_summary.trigger()
    assert window.project.trials[0].endpoints[0].arms[1].median == 57.1
    assert window.last_import.changes == ["CLEOPATRA / OS / Pertuzumab: median 56.5 → 57.1"]
    window.act_import_summary.trigger()
    assert window.statusBar().currentMessage().startswith("Nothing imported from cleo.csv")


def test_arm_names_that_differ_are_guessed_and_can_be_added_as_new():
    project = Project(trials=[_typed_trial()])
    incoming = Project(trials=[Trial("CLEOPATRA", [Endpoint("OS", [
        Arm("placebo", role="control", n=1), Arm("Other arm", n=5)])])])
    assert unmatched(project, incoming) == [("CLEOPATRA", "OS", ["placebo", "Other arm"],
                                             ["Placebo", "Pertuzumab"])]
    guess = guess_arm_map(project, incoming)
    assert guess == {("CLEOPATRA", "OS", "placebo"): "Placebo",
                     ("CLEOPATRA", "OS", "Other arm"): "Pertuzumab"}      # the one experimental left
    guess[("CLEOPATRA", "OS", "Other arm")] = None
    plan = plan_merge(project, incoming, guess)
    assert plan.changes == ["CLEOPATRA / OS / Placebo: n 406 → 1", "CLEOPATRA / OS: arm Other arm added"]
    plan.command.apply(project)
    assert [a.label for a in project.trials[0].endpoints[0].arms] == ["Placebo", "Pertuzumab", "Other arm"]
