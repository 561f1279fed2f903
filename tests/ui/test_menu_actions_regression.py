"""Edit → Add trial / Add endpoint through the QAction a user triggers (they crashed with
"'bool' object has no attribute 'strip'" because `triggered` passed `checked` as the name)."""
from PySide6.QtWidgets import QInputDialog


def _action(window, text):
    for a in window.findChildren(type(window.act_new)):
        if a.text().replace("&", "").rstrip("…") == text:
            return a
    raise AssertionError(f"no action {text!r}")


def test_add_trial_and_endpoint_from_the_menu(window, monkeypatch):
    monkeypatch.setattr(QInputDialog, "getText", staticmethod(lambda *a, **k: ("PHILA", True)))
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(lambda *a, **k: ("PFS", True)))
    n = len(window.project.trials)
    _action(window, "Add trial").trigger()
    assert len(window.project.trials) == n + 1
    assert window.project.trials[-1].name == "PHILA"
    window.show_endpoint(n, 0)
    _action(window, "Add endpoint").trigger()
    assert [e.name for e in window.project.trials[n].endpoints][-1] == "PFS"
