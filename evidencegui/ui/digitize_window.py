"""File → Digitize a figure…: a window that opens a published Kaplan–Meier figure (a PDF page,
an image file, or an image pasted from the clipboard), calibrates its axes, finds or clicks the
curves, takes the numbers at risk, and reconstructs the arms into a trial of the project as one
undoable step of the main window."""
from __future__ import annotations

from pathlib import Path

import numpy as np
from PySide6.QtCore import QBuffer, QByteArray, QEvent, QIODevice, QObject, Qt
from PySide6.QtGui import QAction, QActionGroup, QGuiApplication, QKeySequence
from PySide6.QtWidgets import (QFileDialog, QLabel, QMainWindow, QPushButton, QScrollArea,
                               QSpinBox, QSplitter, QVBoxLayout, QWidget)

SHORTCUT = "Ctrl+Shift+F"
FILTER_FIGURE = ("Figures (*.pdf *.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp);;"
                 "PDF (*.pdf);;Images (*.png *.jpg *.jpeg *.tif *.tiff *.bmp *.gif *.webp)")
MODE_TEXT = {
    "edit": ("Select / move", "Ctrl+1", "Click or drag a point to move it; drag a box to select "
             "points; Delete removes them"),
    "crop": ("Crop", "Ctrl+2", "Drag a rectangle around the figure (the plot, its axes and the "
             "numbers at risk)"),
    "calibrate": ("Calibrate", "Ctrl+3", "Click X₁, X₂ on the x axis and Y₁, Y₂ on the y axis "
                  "at ticks whose values you know"),
    "add": ("Add points", "Ctrl+4", "Click the corners of the steps of the chosen curve"),
}


FAILED = object()          # what DigitizeWindow.work returns when the job did not finish
NEXT_FOR_IMAGE = ("Calibrate the axes (Place X₁, then click the figure at a tick you know, and "
                  "so on), then Find curves, or New curve to click a curve by hand.")


def in_window_words(message: str) -> str:
    """core.digitize speaks of the command line's options; here they are the window's controls."""
    for cli, gui in (("(--page)", "(the Page box)"), ("--page", "the Page box"),
                     ("by hand (--x-cal/--y-cal)", "by hand (Calibrate)"),
                     ("--x-cal/--y-cal", "Calibrate")):
        message = message.replace(cli, gui)
    return message


def install(window) -> QAction:
    """Add File → Digitize a figure… to the main window (after the digitized-curve import)."""
    act = QAction("Digitize a &figure…", window)
    act.setShortcut(QKeySequence(SHORTCUT))
    tip = ("Open a Kaplan–Meier figure (PDF page, image, or pasted screenshot), find its curves "
           "and numbers at risk, and reconstruct the arms")
    act.setStatusTip(tip)
    act.setToolTip(tip)
    act.triggered.connect(lambda _checked=False: open_digitizer(window))
    menu = _file_menu(window)
    after = getattr(window, "act_import_digitized", None)
    actions = menu.actions() if menu is not None else []
    if after in actions and actions.index(after) + 1 < len(actions):
        menu.insertAction(actions[actions.index(after) + 1], act)
    elif menu is not None:
        menu.addAction(act)
    else:
        window.addAction(act)
    window.act_digitize_figure = act
    window.installEventFilter(_CloseWithMain(window))
    return act


class _CloseWithMain(QObject):
    """The digitizing window closes with the main window (it is its tool, not a document)."""

    def eventFilter(self, obj, event):  # noqa: N802
        if event.type() == QEvent.Type.Close and event.isAccepted():
            w = getattr(obj, "digitize_window", None)
            if w is not None:
                w.close()
        return False


def _file_menu(window):
    for a in window.menuBar().actions():
        if a.menu() is not None and a.text().replace("&", "") == "File":
            return a.menu()
    return None


def open_digitizer(window) -> "DigitizeWindow":
    """Show the digitizing window of ``window`` (one per main window, raised when open)."""
    w = getattr(window, "digitize_window", None)
    if w is None:
        w = DigitizeWindow(window)
        window.digitize_window = w
    w.refresh_target()
    w.show()
    w.raise_()
    w.activateWindow()
    return w


# Jobs for ui.workers (plain functions taking ``progress``)
def _open_job(path, page, progress=None):
    from evidencegui.io.figure_sources import open_figure
    return open_figure(path, page=page)


def _find_job(source, crop, calibration, progress=None):
    """Curves of the figure: a PDF's vector drawing first (exact, calibrated from its tick
    labels), then the picture traced with the user's calibration."""
    from evidencegui.core.digitize import DigitizeError, digitize
    if source.vector is not None and calibration is not None:
        try:
            return digitize(source, crop=crop)
        except DigitizeError:
            pass
    return digitize(source, crop=crop, calibration=calibration)


class DigitizeWindow(QMainWindow):
    def __init__(self, main_window):
        super().__init__(main_window)
        from evidencegui.ui.digitize_panels import (AtRiskGrid, CalibrationPanel, CurvesPanel,
                                                    Section, TargetPanel)
        from evidencegui.ui.views.digitize_canvas import DigitizeCanvas
        self.setWindowFlag(Qt.WindowType.Window)
        self.setAcceptDrops(True)
        self.setWindowTitle("Digitize a figure — EvidenceGUI")
        self.main = main_window
        self.source = None                 # io.figure_sources.FigureSource
        self.path: str | None = None
        self.result = None                 # the last core.digitize.DigitizeResult
        self.canvas = DigitizeCanvas()
        self.cal = CalibrationPanel()
        self.curves = CurvesPanel()
        self.grid = AtRiskGrid()
        self.target = TargetPanel()
        self.run_btn = QPushButton("Reconstruct and put into the project")
        self.run_btn.setStyleSheet("font-weight: bold; padding: 6px;")
        self.run_btn.clicked.connect(lambda: self.reconstruct())
        self.note = QLabel("Open a figure (Ctrl+O), or paste a screenshot (Ctrl+V).")
        self.note.setWordWrap(True)
        self.note.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.note.setMinimumHeight(60)
        self.note.setAlignment(Qt.AlignmentFlag.AlignTop | Qt.AlignmentFlag.AlignLeft)
        side = Section([self.cal, self.curves, self.target, self.run_btn, self.note])
        scroll = QScrollArea()
        scroll.setWidget(side)
        scroll.setWidgetResizable(True)
        scroll.setHorizontalScrollBarPolicy(Qt.ScrollBarPolicy.ScrollBarAlwaysOff)
        left = QWidget()                   # the figure takes the room the grid leaves
        ll = QVBoxLayout(left)
        ll.setContentsMargins(0, 0, 0, 0)
        ll.addWidget(self.canvas, 1)
        ll.addWidget(self.grid, 0)
        split = QSplitter(Qt.Orientation.Horizontal)
        split.addWidget(left)
        split.addWidget(scroll)
        split.setStretchFactor(0, 1)
        split.setCollapsible(0, False)
        self.setCentralWidget(split)
        self._build_actions()
        self._connect()
        screen = QGuiApplication.primaryScreen()
        avail = screen.availableGeometry() if screen is not None else None
        w, h = 1300, 860
        if avail is not None:
            w, h = min(w, avail.width() - 40), min(h, avail.height() - 60)
        self.resize(w, h)
        scroll.setMinimumWidth(min(470, int(w * 0.36)))
        split.setSizes([w - scroll.minimumWidth(), scroll.minimumWidth()])
        self._sync_all()

    # ------------------------------------------------------------------ set-up
    def _action(self, text, slot, shortcut=None, tip=None) -> QAction:
        a = QAction(text, self)
        if shortcut:
            a.setShortcut(QKeySequence(shortcut))
        if tip:
            a.setToolTip(f"{tip} ({shortcut})" if shortcut else tip)
            a.setStatusTip(tip)
        a.triggered.connect(lambda _checked=False: slot())
        self.addAction(a)
        return a

    def _build_actions(self) -> None:
        tb = self.addToolBar("Digitize")
        tb.setObjectName("digitize_toolbar")
        tb.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextOnly)
        self.act_open = self._action("Open figure…", lambda: self.open_file(), "Ctrl+O",
                                     "A PDF page or an image (PNG, JPEG, TIFF)")
        self.act_paste = self._action("Paste image", lambda: self.paste(), "Ctrl+V",
                                      "An image from the clipboard (a screenshot of the figure)")
        tb.addAction(self.act_open)
        tb.addAction(self.act_paste)
        self.page_label = QLabel("  Page ")
        self.page = QSpinBox()
        self.page.setRange(1, 1)
        self.page.setToolTip("The page of the PDF that holds the figure")
        self.page.editingFinished.connect(lambda: self.page.value() != self.source_page()
                                          and self.load_page(self.page.value()))
        self.page_count = QLabel(" of 1  ")
        for w in (self.page_label, self.page, self.page_count):
            tb.addWidget(w)
        tb.addSeparator()
        self.mode_group = QActionGroup(self)
        self.mode_actions = {}
        for mode, (text, key, tip) in MODE_TEXT.items():
            a = self._action(text, lambda m=mode: self.set_mode(m), key, tip)
            a.setCheckable(True)
            self.mode_group.addAction(a)
            tb.addAction(a)
            self.mode_actions[mode] = a
        self.mode_actions["edit"].setChecked(True)
        tb.addSeparator()
        self.act_fit = self._action("Fit", lambda: self.canvas.fit(), "Ctrl+0",
                                    "Show the whole figure (the wheel zooms)")
        tb.addAction(self.act_fit)
        self.act_undo = self.canvas.undo_stack.createUndoAction(self, "Undo")
        self.act_undo.setShortcut(QKeySequence.StandardKey.Undo)
        self.act_redo = self.canvas.undo_stack.createRedoAction(self, "Redo")
        self.act_redo.setShortcuts([QKeySequence("Ctrl+Shift+Z"), QKeySequence("Ctrl+Y")])
        self.act_undo.setIconText("Undo")       # the toolbar stays short; the tooltip says what
        self.act_redo.setIconText("Redo")
        for a in (self.act_undo, self.act_redo):
            self.addAction(a)
            tb.addAction(a)
        tb.addSeparator()
        self.act_find = self._action("Find curves", lambda: self.find_curves(), "Ctrl+F",
                                     "Find the curves, the axes and the numbers at risk automatically")
        self.act_reconstruct = self._action("Reconstruct", lambda: self.reconstruct(), "Ctrl+R",
                                            "Reconstruct the arms and put them into the project")
        tb.addAction(self.act_find)
        tb.addAction(self.act_reconstruct)

    def _connect(self) -> None:
        c = self.canvas
        c.changed.connect(self._sync_all)
        c.calibration_clicked.connect(self._calibration_clicked)
        c.mode_changed.connect(lambda m: self.mode_actions[m].setChecked(True))
        self.cal.pick.connect(self._pick_calibration)
        self.cal.edited.connect(self._update_marks)
        self.curves.find.clicked.connect(lambda: self.find_curves())
        self.curves.new.clicked.connect(self.new_curve)
        self.curves.remove.clicked.connect(lambda: self.canvas.remove_curve(self.curves.table.currentRow()))
        self.curves.renamed.connect(self._rename_curve)
        self.curves.toggled.connect(self._toggle_curve)
        self.curves.chosen.connect(lambda r: setattr(self.canvas, "active_curve", r))
        self.target.changed.connect(lambda: self.curves.set_targets(self.target.arm_labels()))
        self.grid.changed.connect(self._update_marks)
        # trials and endpoints added, renamed or removed meanwhile: the choices follow
        controller = getattr(self.main, "controller", None)
        if controller is not None:
            controller.applied.connect(lambda _c: self.isVisible() and self.refresh_target())

    # ------------------------------------------------------------------ drag and drop
    def dragEnterEvent(self, event):  # noqa: N802
        if event.mimeData().hasUrls() or event.mimeData().hasImage():
            event.acceptProposedAction()

    def dropEvent(self, event):  # noqa: N802
        """A figure file dropped on the window opens; a dropped image is used as pasted."""
        mime = event.mimeData()
        files = [u.toLocalFile() for u in mime.urls() if u.isLocalFile()]
        if files:
            self.open_file(files[0])
        elif mime.hasImage():
            self.use_image(mime.imageData())
        event.acceptProposedAction()

    # ------------------------------------------------------------------ messages
    def say(self, text: str, error: bool = False) -> None:
        self.note.setText(text)
        self.note.setStyleSheet("color: #a00;" if error else "")
        self.statusBar().showMessage(text.splitlines()[0] if text else "", 10000)

    # ------------------------------------------------------------------ opening
    def source_page(self) -> int:
        return getattr(self.source, "page", 1) if self.source is not None else 1

    def open_file(self, path=None) -> bool:
        if path is None:
            settings = getattr(self.main, "settings", None)
            start = settings.last_dir("figure") if settings is not None else ""
            path, _ = QFileDialog.getOpenFileName(self, "Open a figure", start, FILTER_FIGURE)
            if not path:
                return False
        from evidencegui.io.figure_sources import page_count
        n = 1
        if str(path).lower().endswith(".pdf"):
            try:
                n = page_count(path)
            except Exception as e:
                self.say(f"Cannot open {Path(path).name}: {e}", error=True)
                return False
        self.path = str(path)
        ok = self.load_page(1, n_pages=n)
        if ok and getattr(self.main, "settings", None) is not None:
            self.main.settings.set_last_dir("figure", path)
        return ok

    def work(self, title: str, fn, *args, cancelled: str, failed: str):
        """``fn(*args)`` on a worker with a progress dialog; its result, or FAILED after saying
        ``cancelled`` or ``failed`` (with {e}, the error)."""
        from evidencegui.ui.workers import Cancelled, run_with_progress
        try:
            return run_with_progress(self, title, fn, *args)
        except Cancelled:
            self.say(cancelled)
        except Exception as e:
            self.say(failed.format(e=e), error=True)
        return FAILED

    def load_page(self, page: int, n_pages: int | None = None) -> bool:
        if self.path is None:
            return False
        source = self.work("Opening the figure", _open_job, self.path, page,
                           cancelled="Opening cancelled.",
                           failed=f"Cannot open {Path(self.path).name}: {{e}}")
        if source is FAILED:
            return False
        self.set_source(source)
        if n_pages is not None:
            self.page.setRange(1, max(1, n_pages))
            self.page_count.setText(f" of {n_pages}  ")
        self.page.setValue(page)
        pdf = source.kind == "pdf"
        for w in (self.page_label, self.page, self.page_count):
            w.setEnabled(pdf)
        if pdf:
            self.set_mode("crop")
            self.say(f"{Path(self.path).name}, page {page} of {self.page.maximum()}. Choose the page with "
                     "the figure (Page box), drag a rectangle around the figure, then Find curves.")
        else:
            self.say(f"{Path(self.path).name}: {source.image.shape[1]}×{source.image.shape[0]} pixels. "
                     + NEXT_FOR_IMAGE)
        return True

    def paste(self) -> bool:
        """The clipboard's image (or a figure file copied in a file manager)."""
        mime = QGuiApplication.clipboard().mimeData()
        if mime is not None and mime.hasUrls() and any(u.isLocalFile() for u in mime.urls()):
            return self.open_file(next(u.toLocalFile() for u in mime.urls() if u.isLocalFile()))
        image = QGuiApplication.clipboard().image()
        if image.isNull():
            self.say("The clipboard holds no image: copy a screenshot of the figure (or the figure "
                     "itself) first, then paste it here.", error=True)
            return False
        return self.use_image(image, "Pasted image")

    def use_image(self, image, what: str = "Dropped image") -> bool:
        """A QImage (pasted or dropped) as the figure."""
        from evidencegui.io.figure_sources import FigureSource, load_image
        data = QByteArray()
        buf = QBuffer(data)
        buf.open(QIODevice.OpenModeFlag.WriteOnly)
        image.save(buf, "PNG")
        buf.close()
        try:
            rgb = load_image(bytes(data))
        except Exception as e:
            self.say(f"Cannot use the {what.lower()}: {e}", error=True)
            return False
        self.path = None
        self.set_source(FigureSource("image", rgb, 1.0, None, name=what.lower()))
        for w in (self.page_label, self.page, self.page_count):
            w.setEnabled(False)
        self.say(f"{what}: {rgb.shape[1]}×{rgb.shape[0]} pixels. " + NEXT_FOR_IMAGE)
        return True

    def set_source(self, source) -> None:
        from evidencegui.ui.views.digitize_canvas import qimage_from_rgb
        self.source = source
        self.result = None
        self.canvas.set_image(qimage_from_rgb(source.image))
        name = Path(source.name).name if source.name else "figure"
        self.setWindowTitle(f"Digitize {name} — EvidenceGUI")
        for w in source.warnings if hasattr(source, "warnings") else ():
            self.statusBar().showMessage(w, 10000)

    # ------------------------------------------------------------------ modes and calibration
    def set_mode(self, mode: str) -> None:
        if mode == "add" and self.source is not None and not self.canvas.curves:
            self.canvas.add_curve()
        self.canvas.set_mode(mode)
        self.statusBar().showMessage(MODE_TEXT[mode][2], 8000)

    def _pick_calibration(self, key: str) -> None:
        self.canvas.cal_target = key
        self.set_mode("calibrate")
        self._sync_all()

    def _calibration_clicked(self, key: str) -> None:
        box = self.cal.values[key]
        box.setFocus()
        box.selectAll()
        self._sync_all()

    def calibration(self):
        """(core.digitize.AxisCalibration, "") from the clicks and values, or (None, what is
        missing or wrong)."""
        from evidencegui.core.digitize import AxisCalibration
        from evidencegui.ui.views.digitize_canvas import CAL_KEYS, CAL_NAMES
        pts = self.canvas.cal_points
        missing = [CAL_NAMES[k] for k in CAL_KEYS if k not in pts]
        if missing:
            return None, ("Calibrate the axes first: place " + ", ".join(missing)
                          + " (Place buttons, then click the figure at ticks whose values you know).")
        values = {k: self.cal.value(k) for k in CAL_KEYS}
        empty = [CAL_NAMES[k] for k in CAL_KEYS if values[k] is None]
        if empty:
            return None, "Type the value of " + ", ".join(empty) + " (a number read on the axis)."
        problems = []
        for a, b, i, axis in (("x1", "x2", 0, "x"), ("y1", "y2", 1, "y")):
            if abs(pts[a][i] - pts[b][i]) < 3:
                problems.append(f"{CAL_NAMES[a]} and {CAL_NAMES[b]} are at the same place on the "
                                f"{axis} axis ({pts[a][i]:.0f} px): place them far apart")
            if values[a] == values[b]:
                problems.append(f"{CAL_NAMES[a]} and {CAL_NAMES[b]} have the same value ({values[a]:g}): "
                                "two different values are needed")
        if problems:
            return None, "; ".join(problems) + "."
        if max(abs(values["y1"]), abs(values["y2"])) > 1.5 and not self.cal.percent.isChecked():
            self.cal.percent.setChecked(True)        # 0 and 100 typed: a percent axis
            self.statusBar().showMessage("y values above 1: the y axis is taken as percent (0–100)", 8000)
        cal = AxisCalibration(x=((pts["x1"][0], values["x1"]), (pts["x2"][0], values["x2"])),
                              y=((pts["y1"][1], values["y1"]), (pts["y2"][1], values["y2"])),
                              percent=self.cal.percent.isChecked())
        return cal, ""

    def _show_calibration(self, cal, plot_box) -> None:
        """A calibration found by core.digitize: its points drawn and its values typed."""
        import math
        x0, y0, x1, y1 = plot_box if plot_box is not None else (0, 0, *self.source.image.shape[1::-1])

        def nice(v0, v1):
            # the fit through the tick labels gives 35.9995 for the tick "36": show round
            # values, placed where the same calibration puts them (the same line)
            d = max(0, 3 - math.floor(math.log10(abs(v1 - v0))))
            return round(v0, d) + 0.0, round(v1, d) + 0.0
        k = 100.0 if cal.percent else 1.0
        xv = nice(cal.x[0][1], cal.x[1][1])
        yv = nice(cal.y[0][1], cal.y[1][1])
        xp, _ = cal.to_pixels(list(xv), [0.0, 0.0])
        _, yp = cal.to_pixels([0.0, 0.0], [yv[0] / k, yv[1] / k])
        points = {"x1": (float(xp[0]), y1), "x2": (float(xp[1]), y1),
                  "y1": (x0, float(yp[0])), "y2": (x0, float(yp[1]))}
        for key, p in points.items():
            self.canvas.set_cal_point(key, p)
        self.cal.set_values({"x1": xv[0], "x2": xv[1], "y1": yv[0], "y2": yv[1]},
                            percent=bool(cal.percent))

    # ------------------------------------------------------------------ curves
    def new_curve(self) -> None:
        if self.source is None:
            self.say("Open a figure first.", error=True)
            return
        self.canvas.add_curve()
        self.set_mode("add")
        self.say(f"Click the corners of the steps of {self.canvas.curves[-1].name}: the top and the "
                 "bottom of each drop. Rename it in the Curves list.")

    def _rename_curve(self, row: int, name: str) -> None:
        taken = {c.name for i, c in enumerate(self.canvas.curves) if i != row}
        if not name or name in taken:
            self.say(f"Curve names must be different and not empty: {name!r} is "
                     + ("empty." if not name else "taken."), error=True)
            self._sync_all()
            return
        self.grid.rename(self.canvas.curves[row].name, name)
        self.canvas.rename_curve(row, name)
        self._sync_all()

    def _toggle_curve(self, row: int, used: bool) -> None:
        self.canvas.curves[row].arm = used
        self.canvas._draw_curve(row)
        self._sync_all()

    def find_curves(self) -> bool:
        from evidencegui.ui.views.digitize_canvas import PALETTE, EditCurve
        if self.source is None:
            self.say("Open a figure first (Ctrl+O), or paste one (Ctrl+V).", error=True)
            return False
        cal = None
        if len(self.canvas.cal_points) == 4 or self.source.vector is None:
            cal, why = self.calibration()
            if cal is None:
                self.say(why + ("" if self.source.vector is not None else
                                "\nAn image's axes cannot be read automatically: calibrate them, "
                                "then Find curves."), error=True)
                return False
        # a PDF's drawing is read exactly, with the axes from its tick labels; the user's
        # calibration is for tracing the picture when the page has no curve paths
        result = self.work("Finding the curves", _find_job, self.source, self.canvas.crop, cal,
                           cancelled="Finding the curves was cancelled.",
                           failed="No curves found: {e}\n\nYou can click the curves by hand: New "
                                  "curve, then click the corners of its steps (calibrate the axes first).")
        if result is FAILED:
            self.say(in_window_words(self.note.text()), error=True)
            return False
        self.result = result
        self.canvas.undo_stack.beginMacro("find curves")
        try:
            use = cal or result.calibration
            if cal is None and result.calibration is not None:
                self._show_calibration(result.calibration, result.plot_box)
            curves = []
            seen: set = set()
            for c in result.curves:
                if use is None or not c.points:
                    continue
                t = [p[0] for p in c.points]
                s = [p[1] for p in c.points]
                px, py = use.to_pixels(t, s)
                colour = tuple(int(v) for v in c.colour)
                if colour in seen or sum(colour) > 600:  # same colour (dashed vs solid), or too pale
                    colour = next(p for p in PALETTE if p not in seen)
                seen.add(colour)
                marks = []
                if c.censor_times:             # drawn on the step, at S(t) of the curve
                    at = np.clip(np.searchsorted(t, c.censor_times, side="right") - 1, 0, len(t) - 1)
                    mx, my = use.to_pixels(c.censor_times, np.asarray(s)[at])
                    marks = [(float(x), float(y)) for x, y in zip(mx, my)]
                curves.append(EditCurve(c.name, colour,
                                        [(float(x), float(y)) for x, y in zip(px, py)],
                                        censor_times=list(c.censor_times), censor_marks=marks,
                                        dashed=bool(getattr(c, "dash", None))))
            if curves:
                self.canvas.replace_curves(curves)
        finally:
            self.canvas.undo_stack.endMacro()
        if result.at_risk is not None and result.at_risk.times:
            self.grid.set_names([c.name for c in self.canvas.curves if c.arm])
            self.grid.set_table(result.at_risk.times, result.at_risk.counts)
        lines = [f"Found {len(result.curves)} curve(s) in the {result.source} drawing"
                 + (": " + ", ".join(c.name for c in result.curves) if result.curves else "") + "."]
        if use is None:
            lines.append("The axes were not found: calibrate them (X₁, X₂, Y₁, Y₂), then Find curves again.")
        if result.at_risk is not None and result.at_risk.times:
            lines.append(f"Numbers at risk read at {len(result.at_risk.times)} times: check them below.")
        else:
            lines.append("No numbers at risk were read: type them in the grid below the figure.")
        marks = [f"{c.name} {len(c.censor_times)}" for c in result.curves if c.censor_times]
        if marks:
            lines.append("Censor marks read (drawn as ticks): " + ", ".join(marks) + ". The "
                         "reconstruction uses them to place each arm's censorings (how many are censored "
                         "in each interval still comes from the numbers at risk).")
        lines += [f"⚠ {in_window_words(w)}" for w in result.warnings]
        self.set_mode("edit")
        self.say("\n".join(lines), error=not result.curves)
        return bool(result.curves)

    # ------------------------------------------------------------------ syncing the panels
    def _sync_all(self) -> None:
        c = self.canvas
        self.cal.show_points(c.cal_points, c.cal_target if c.mode == "calibrate" else None)
        self.curves.fill(c.curves, self.target.arm_labels())
        self.grid.set_names([x.name for x in c.curves if x.arm])
        self._update_marks()

    def _update_marks(self) -> None:
        cal = self.calibration()[0] if len(self.canvas.cal_points) == 4 else None
        xs = []
        if cal is not None:
            times = self.grid.times()
            if times:
                px, _py = cal.to_pixels(times, [0.0] * len(times))
                xs = [float(x) for x in px]
        self.canvas.set_marks(xs)

    def refresh_target(self, ti=None, ei=None) -> None:
        """The main window's trials and endpoints as choices: the given ones, else those chosen
        before (when still there)."""
        if ti is None:
            ti, ei = self.target.trial_index(), self.target.endpoint_index()
        project = self.main.project
        same = self.target.project is project
        self.target.set_project(project, ti if same else None, ei if same else None)
        self.curves.set_targets(self.target.arm_labels())

    # ------------------------------------------------------------------ reconstruct
    def reconstruct(self) -> bool:
        from evidencegui.ui.digitize_apply import apply_reconstruction
        return apply_reconstruction(self)
