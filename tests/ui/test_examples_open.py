"""The example projects open in the window through File → Open…, and every trial and endpoint in
them shows without an error dialog (examples are templates: they must load with this window)."""
import sys

import pytest
from PySide6.QtWidgets import QFileDialog, QMessageBox

from evidencegui.resources import resource


@pytest.mark.parametrize("name,trials", [
    ("cdk46.evidence.json", ["PALOMA-2", "MONALEESA-2", "MONARCH 3"]),
    ("cleopatra.evidence.json", ["CLEOPATRA", "PHILA"]),
])
def test_example_opens_from_the_menu_and_every_endpoint_shows(window, monkeypatch, name, trials):
    from evidencegui.ui.dialogs.error import install_excepthook
    monkeypatch.setattr(sys, "excepthook", sys.excepthook)
    shown = []
    monkeypatch.setattr(QMessageBox, "exec", lambda self: shown.append(
        (self.windowTitle(), self.text())) or 0)
    install_excepthook(window)
    window.controller.set_clean()
    path = resource("examples", name)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", lambda *a, **k: (str(path), ""))
    window.act_open.trigger()
    assert [t.name for t in window.project.trials] == trials
    assert [window.tree.topLevelItem(i).text(0) for i in range(len(trials))] == trials
    for ti, t in enumerate(window.project.trials):
        for ei, e in enumerate(t.endpoints):
            window.show_endpoint(ti, ei)
            assert window.plot.widget.curve_items is not None
            assert window.comparison.external is None or window.comparison.external.title.startswith(t.name)
    assert shown == []
