"""ESMO-MCBS for a trial known only from its figure: the panel says what is needed; Analysis →
Use the reconstructed values copies the KM medians (R survfit-style, from core.survival) and the
Cox HR into the reported columns, marks the arms' source, and Undo takes it back."""
import copy

from evidencegui.core.fit_cache import kaplan_meier_of, logrank_cox_of
from evidencegui.core.survival import median
from evidencegui.io.project_file import load_project
from evidencegui.resources import resource
from evidencegui.ui.esmo_derived import DERIVED_NOTE


def _reconstructed_only():
    p = load_project(resource("examples", "cleopatra.evidence.json"))
    for ep in p.trials[0].endpoints:
        for a in ep.arms:
            keep = a.patients
            for f in ("n", "events", "median", "median_lower", "median_upper", "hr", "hr_lower",
                      "hr_upper", "p_value"):
                setattr(a, f, None)
            a.source, a.patients = "", keep
    return p


def test_reconstructed_values_copied_marked_and_undoable(window, monkeypatch):
    from PySide6.QtWidgets import QMessageBox

    from evidencegui.core.effects import compare_arms
    window.set_project(_reconstructed_only())
    window.show_endpoint(0, 0)
    trial = window.project.trials[0]
    ep = trial.endpoints[0]
    exp, ctl = ep.arms[0], ep.arms[1]
    assert compare_arms(trial, ep, exp, ctl).esmo.preliminary_grade is None     # not graded
    before = copy.deepcopy(ep)
    asked = []
    monkeypatch.setattr(QMessageBox, "question", staticmethod(
        lambda _p, title, text, *a, **k: asked.append(text) or QMessageBox.StandardButton.Yes))
    window.act_esmo_copy.trigger()
    assert "ESMO-MCBS grades the published results and is missing" in asked[0]
    km = kaplan_meier_of(ctl.patients)
    assert ctl.median == round(median(km).estimate, 2)
    _, cox = logrank_cox_of(exp.patients, ctl.patients)
    assert exp.hr == round(cox.hr, 3) and exp.hr_lower == round(cox.lower, 3)
    assert DERIVED_NOTE in exp.source and DERIVED_NOTE in ctl.source
    assert compare_arms(trial, ep, exp, ctl).esmo.preliminary_grade is not None
    window.act_undo.trigger()
    assert window.project.trials[0].endpoints[0] == before


def test_nothing_to_copy_says_what_is_needed(window):
    project = _reconstructed_only()
    for a in project.trials[0].endpoints[0].arms:
        a.patients = None
    window.set_project(project)
    window.show_endpoint(0, 0)
    assert not window.offer_reconstructed_values(answer=True)
    assert "ESMO-MCBS needs" in window.statusBar().currentMessage()
