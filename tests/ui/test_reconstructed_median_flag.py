"""Issue 15 item 3 in the window: a reconstructed arm whose digitized curve never reaches 0.5
shows its median as not reached (table, figure legend), with the reconstructed value flagged."""
import numpy as np
import pytest

from evidencegui.core import curves as cc
from evidencegui.core.model import Arm, Endpoint, PatientData, Project, Trial
from evidencegui.core.reconstruct import reconstruct
from evidencegui.ui.comparison_panel import ComparisonPanel

# KEYNOTE-006 pattern: the clicks never fall below 0.509, the reconstruction reaches 0.5 at 15.4
T = np.array([0, 2, 4, 6, 8, 10, 12, 14, 15.4, 16])
S = np.array([1, 0.9, 0.8, 0.72, 0.65, 0.6, 0.56, 0.535, 0.509, 0.509])


def _arm(label, role, t, s, table, counts):
    rec = reconstruct(t, s, table, counts)
    return Arm(label, role, patients=PatientData(rec.time.tolist(), rec.event.tolist(),
                                                 origin="reconstructed",
                                                 reconstruction={**rec.audit(),
                                                                 "warnings": rec.warnings}))


def test_window_shows_not_reached_and_flags_the_reconstructed_value(qtbot):
    exp = _arm("Ipilimumab", "experimental", T, S, [0, 8, 14], [100, 50, 18])
    ctl = _arm("Control", "control", T, np.clip(S - 0.2, 0, 1), [0, 8, 14], [100, 40, 10])
    ep = Endpoint("OS", [exp, ctl])
    project = Project(trials=[Trial("KN-006", [ep])])
    panel = ComparisonPanel()
    qtbot.addWidget(panel)
    panel.set_endpoint(project, project.trials[0], ep)
    assert panel.text_of(None, "median_experimental", 2).startswith("not reached")
    text = panel.as_text()
    assert "never goes below 0.5" in text and "15.4" in text
    curve = cc.arm_curve(exp, "log-log")
    assert curve.median is None and curve.median_not_reached
    assert cc.median_marker(curve) is None
