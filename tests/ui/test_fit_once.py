"""Each arm's fit is computed once per change of its data and shared by the plot, the comparison
and the panel (an edit used to fit every arm three times: plot, effects.compare_arms and the
panel's patient extras)."""
import copy

from evidencegui.core import commands as cmd
from evidencegui.core import survival as sv
from evidencegui.resources import resource


def _count(monkeypatch, rmst=False):
    calls = {"km": 0, "pair": 0}
    km, pair, rm = sv.kaplan_meier, sv.logrank_cox, sv.rmst
    if rmst:
        calls["rmst"] = 0

        def counted_rmst(*a, **k):
            calls["rmst"] += 1
            return rm(*a, **k)
        monkeypatch.setattr(sv, "rmst", counted_rmst)

    def counted_km(*a, **k):
        calls["km"] += 1
        return km(*a, **k)

    def counted_pair(*a, **k):
        calls["pair"] += 1
        return pair(*a, **k)
    monkeypatch.setattr(sv, "kaplan_meier", counted_km)
    monkeypatch.setattr(sv, "logrank_cox", counted_pair)
    return calls


def _shown(window):
    window.open_path(resource("examples", "cleopatra.evidence.json"))
    window.show_endpoint(0, 0)
    window.show_endpoint(0, 1)
    window.show_endpoint(0, 0)


def test_a_keystroke_on_a_reported_value_refits_nothing(window, qtbot, monkeypatch):
    _shown(window)
    calls = _count(monkeypatch)
    # type a new reported median into the first arm's cell, as the table's editor does
    assert window.model.setData(window.model.index(0, window.model.column_index("median")), "57")
    assert window.project.trials[0].endpoints[0].arms[0].median == 57.0
    assert calls == {"km": 0, "pair": 0}


def test_a_change_of_an_arms_data_fits_that_arm_once(window, monkeypatch):
    _shown(window)
    calls = _count(monkeypatch)
    arm = window.project.trials[0].endpoints[0].arms[0]
    new = copy.deepcopy(arm.patients)
    new.time[0] += 0.5
    window.push(cmd.SetArmField(0, 0, 0, "patients", new))
    # one Kaplan–Meier fit of the changed arm (plot, comparison and panel share it), one pair test
    assert calls == {"km": 1, "pair": 1}
    window.act_undo.trigger()          # back to the old data: its fits are still cached
    assert calls == {"km": 1, "pair": 1}


def test_a_keystroke_recomputes_no_rmst_or_landmark_difference(window, monkeypatch):
    """The panel's patient-data extras (RMSTs, landmark differences) are computed once per change
    of the two arms' data, not on every keystroke in the table."""
    _shown(window)
    calls = _count(monkeypatch, rmst=True)
    assert window.model.setData(window.model.index(0, window.model.column_index("median")), "57")
    assert window.model.setData(window.model.index(0, window.model.column_index("median")), "58")
    assert calls == {"km": 0, "pair": 0, "rmst": 0}
    assert "RMST" in window.comparison.external.as_text()
