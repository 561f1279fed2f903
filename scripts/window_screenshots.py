"""Screenshots of the window as a presenter sees it, for looking at and for the help pages.

Run under a real X server (xcb), e.g.:
  xvfb-run -a -s "-screen 0 1920x1080x24" env -u QT_QPA_PLATFORM PYTHONPATH=. \
      .venv/bin/python scripts/window_screenshots.py OUT_DIR 1280x720 1920x1080
Writes OUT_DIR/{example,typed,overlay,start}_WxH.png; with --help-pictures, the small pictures of
resources/help/ (start_page.png, typed_trial.png, overlay.png, 560 px wide).
"""
from __future__ import annotations

import os
import sys
import tempfile
from pathlib import Path


def typed_project():
    from evidencegui.core.model import Arm, Endpoint, Landmark, Project, Trial
    cleo = Trial("CLEOPATRA", [Endpoint("OS", [
        Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=406, events=221, median=40.8,
            median_lower=35.8, median_upper=48.3, landmarks=[Landmark(36, 0.54)]),
        Arm("Pertuzumab+Trastuzumab+Docetaxel", n=402, events=168, median=56.5, median_lower=49.3,
            median_upper=None, hr=0.68, hr_lower=0.56, hr_upper=0.84, p_value=0.001,
            p_value_upper_bound=True, landmarks=[Landmark(36, 0.68)])])])
    phila = Trial("PHILA", [Endpoint("PFS", [
        Arm("Placebo+Trastuzumab+Docetaxel", role="control", n=293, median=10.4,
            median_lower=9.3, median_upper=12.3),
        Arm("Pyrotinib+Trastuzumab+Docetaxel", n=297, median=24.3, median_lower=19.1,
            median_upper=33.0, hr=0.41, hr_lower=0.32, hr_upper=0.53, p_value=0.0001,
            p_value_upper_bound=True)])])
    return Project(trials=[cleo, phila])


def main(out: Path, sizes: list[str], help_pictures: bool) -> None:
    from PySide6.QtCore import Qt
    from PySide6.QtWidgets import QApplication
    app = QApplication.instance() or QApplication(sys.argv[:1])
    from evidencegui.resources import resource
    from evidencegui.ui.main_window import MainWindow
    from evidencegui.ui.settings import Settings
    out.mkdir(parents=True, exist_ok=True)

    def settle(w):
        for _ in range(5):
            app.processEvents()

    for size in sizes:
        width, height = (int(x) for x in size.split("x"))
        w = MainWindow(Settings(os.path.join(tempfile.mkdtemp(), "s.ini")))
        w.resize(width, height)
        w.show()
        w._size_docks()
        settle(w)
        shots = {}
        w.set_project(type(w.project)())
        settle(w)
        shots["start"] = w.grab()
        w.open_path(resource("examples", "cleopatra.evidence.json"))
        w.show_endpoint(0, 0)
        settle(w)
        shots["example"] = w.grab()
        w.set_project(typed_project())
        w.show_endpoint(1, 0)
        w.statusBar().clearMessage()       # the example's "Opened …" belongs to the shot before
        settle(w)
        shots["typed"] = w.grab()
        w.choose_overlay([(0, 0, 0), (0, 0, 1), (1, 0, 0), (1, 0, 1)])
        settle(w)
        shots["overlay"] = w.grab()
        for name, pix in shots.items():
            pix.save(str(out / f"{name}_{size}.png"))
        if help_pictures and size == sizes[0]:
            for name, target in (("start", "start_page.png"), ("typed", "typed_trial.png"),
                                 ("overlay", "overlay.png")):
                small = shots[name].scaledToWidth(560, Qt.TransformationMode.SmoothTransformation)
                small.save(str(resource("help", target)), "PNG")
        w.controller.set_clean()
        w.close()


if __name__ == "__main__":
    args = [a for a in sys.argv[1:] if not a.startswith("--")]
    main(Path(args[0]), args[1:] or ["1280x720", "1920x1080"], "--help-pictures" in sys.argv)
