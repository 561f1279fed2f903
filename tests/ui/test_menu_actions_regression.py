"""Edit → Add trial / Add endpoint through the QAction a user triggers (they crashed with
"'bool' object has no attribute 'strip'" because `triggered` passed `checked` as the name)."""
from PySide6.QtWidgets import QDialog, QInputDialog

from evidencegui.ui.dialogs.new_trial import NewTrialDialog


def _action(window, text):
    for a in window.findChildren(type(window.act_new)):
        if a.text().replace("&", "").rstrip("…") == text:
            return a
    raise AssertionError(f"no action {text!r}")


def test_add_trial_and_endpoint_from_the_menu(window, monkeypatch):
    def answer(self):          # the new-trial dialog, typed in and accepted
        self.name.setText("PHILA")
        self.checks["OS"].setChecked(False)
        self.checks["PFS"].setChecked(True)
        assert self.buttons.button(self.buttons.StandardButton.Ok).isEnabled()
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(NewTrialDialog, "exec", answer)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("PFS", True)))
    n = len(window.project.trials)
    _action(window, "Add trial").trigger()
    assert len(window.project.trials) == n + 1
    assert window.project.trials[-1].name == "PHILA"
    assert [e.name for e in window.project.trials[-1].endpoints] == ["PFS"]     # no empty "OS"
    window.show_endpoint(n, 0)
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("OS", True)))
    _action(window, "Add endpoint").trigger()
    assert [e.name for e in window.project.trials[n].endpoints] == ["PFS", "OS"]
