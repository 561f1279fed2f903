"""File → Export… (Ctrl+Shift+E) as the user triggers it, with the dialog answered: the files it
writes follow the style and the view shown (overlay), endpoints without data are named as left
out, the choices come back next time; Edit → Copy figure and the plot's context menu."""
import xml.etree.ElementTree as ET

import numpy as np
import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QKeySequence
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QDialog

from evidencegui.core.model import Arm, Endpoint, Trial


@pytest.fixture
def errors(monkeypatch):
    """Any error dialog of the export counts as a failure (and does not block the test)."""
    from evidencegui.ui import exports
    seen = []
    monkeypatch.setattr(exports, "show_error", lambda *a, **k: seen.append(a[1:]))
    yield seen
    assert not seen, seen


def _answer(monkeypatch, **choices):
    """The dialog opens, is answered with ``choices`` and accepted; returns what it showed."""
    from evidencegui.ui.dialogs.export import ExportDialog
    shown = {}

    def exec_(self):
        shown["before"] = self.choices()
        shown["skipped"] = self.skipped_label.text()
        self.set_choices(**choices)
        return QDialog.DialogCode.Accepted
    monkeypatch.setattr(ExportDialog, "exec", exec_)
    return shown


def test_export_everything_through_the_action(window, tmp_path, monkeypatch, errors):
    from pptx import Presentation
    _answer(monkeypatch, slides=True, workbook=True, png=True, svg=True, pdf=True, folder=tmp_path,
            name="board", dpi=100, style="presentation")
    window.act_export.trigger()
    for suffix in ("pptx", "xlsx", "png", "svg", "pdf"):
        assert (tmp_path / f"board.{suffix}").stat().st_size > 1000, suffix
    from evidencegui.io.pptx_writer import plan_slides
    plans = plan_slides(window.project)[0]
    assert len(plans) >= 2                                              # CLEOPATRA OS and PFS, ...
    prs = Presentation(tmp_path / "board.pptx")
    comparison = [s for s in prs.slides if s.has_notes_slide
                  and s.notes_slide.notes_text_frame.text.startswith("Method:")]
    assert len(comparison) == len(plans)          # the across-trials slides follow them
    assert (tmp_path / "board.pdf").read_bytes().startswith(b"%PDF")
    assert "board.pptx" in window.statusBar().currentMessage()


def test_shortcut_and_menu_place(window):
    assert window.act_export.shortcut() == QKeySequence("Ctrl+Shift+E")
    file_menu = window.menuBar().actions()[0].menu()
    assert window.act_export in file_menu.actions()
    texts = [a.text() for a in window.findChildren(type(window.act_export))
             if a.shortcut() == QKeySequence("Ctrl+Shift+E")]
    assert texts == ["&Export…"]                                        # no conflict


def test_shortcut_opens_the_dialog(window, tmp_path, monkeypatch, errors, qtbot):
    shown = _answer(monkeypatch, slides=False, workbook=False, png=True, svg=False, pdf=False,
                    folder=tmp_path, name="key", dpi=72)
    window.activateWindow()
    window.setFocus()
    QTest.keySequence(window, QKeySequence("Ctrl+Shift+E"))
    qtbot.waitUntil(lambda: (tmp_path / "key.png").exists(), timeout=5000)
    assert "before" in shown


def test_choices_are_remembered(window, tmp_path, monkeypatch, errors):
    _answer(monkeypatch, slides=False, workbook=True, png=False, svg=True, pdf=False,
            folder=tmp_path, name="again", dpi=150, style="journal")
    window.act_export.trigger()
    shown = _answer(monkeypatch)
    window.act_export.trigger()
    before = shown["before"]
    assert (before["workbook"], before["svg"], before["slides"]) == (True, True, False)
    assert before["style"] == "journal" and before["dpi"] == 150 and before["name"] == "again"
    assert window.settings.export_choices()["folder"] == str(tmp_path)


def _grey(png_path) -> bool:
    from PIL import Image
    with Image.open(png_path) as im:
        a = np.asarray(im.convert("RGB"), dtype=int)
    return int((np.abs(a[..., 0] - a[..., 1]) + np.abs(a[..., 1] - a[..., 2])).max()) <= 6


def test_the_style_chosen_in_the_window_goes_to_the_files(window, tmp_path, monkeypatch, errors):
    from pptx import Presentation
    journal = next(a for a in window.style_group.actions() if a.text() == "journal")
    journal.trigger()
    assert window.settings.style == "journal"
    shown = _answer(monkeypatch, slides=True, workbook=False, png=True, svg=False, pdf=False,
                    folder=tmp_path, name="j", dpi=72)
    window.settings.set_export_choices({})                # the window's style is the default
    window.act_export.trigger()
    assert shown["before"]["style"] == "journal"
    assert _grey(tmp_path / "j.png")
    pic = next(sh for sh in Presentation(tmp_path / "j.pptx").slides[1].shapes if sh.shape_type == 13)
    (tmp_path / "slide.png").write_bytes(pic.image.blob)
    assert _grey(tmp_path / "slide.png")


def test_the_overlay_shown_is_what_is_exported(window, tmp_path, monkeypatch, errors):
    t = window.project.trials[0]
    keys = [(0, ei, ai) for ei, e in enumerate(t.endpoints) for ai in range(len(e.arms))]
    assert window.choose_overlay(keys)
    _answer(monkeypatch, slides=False, workbook=False, png=False, svg=True, pdf=False,
            folder=tmp_path, name="ov")
    window.act_export.trigger()
    root = ET.fromstring((tmp_path / "ov.svg").read_bytes())
    title = root.find("{http://www.w3.org/2000/svg}title").text
    assert title.startswith("Cross-trial overlay")
    labels = " ".join(p.get("aria-label") or "" for p in root.iter("{http://www.w3.org/2000/svg}path"))
    assert "CLEOPATRA OS: Pertuzumab+" in labels and "CLEOPATRA PFS: Pertuzumab+" in labels


def test_endpoint_without_data_is_named_as_left_out(window, tmp_path, monkeypatch, errors):
    from pptx import Presentation
    from evidencegui.io.pptx_writer import plan_slides
    before = len(plan_slides(window.project)[0])
    window.project.trials.append(Trial("NEW-TRIAL", endpoints=[
        Endpoint("OS", arms=[Arm("Placebo+Trastuzumab+Docetaxel", role="control"),
                             Arm("Pyrotinib+Trastuzumab+Docetaxel")])]))
    shown = _answer(monkeypatch, slides=True, workbook=False, png=False, svg=False, pdf=False,
                    folder=tmp_path, name="skip")
    window.act_export.trigger()
    assert "NEW-TRIAL OS (no reported results and no patient-level data)" in shown["skipped"]
    assert "No slide for NEW-TRIAL OS" in window.statusBar().currentMessage()
    prs = Presentation(tmp_path / "skip.pptx")
    assert len([s for s in prs.slides if s.has_notes_slide
                and s.notes_slide.notes_text_frame.text.startswith("Method:")]) == before


def test_copy_figure_from_the_edit_menu_and_the_plot(window, errors):
    edit = next(a.menu() for a in window.menuBar().actions() if a.text().replace("&", "") == "Edit")
    assert window.act_copy_figure in edit.actions()
    glw = window.plot.widget.glw
    assert glw.contextMenuPolicy() == Qt.ContextMenuPolicy.ActionsContextMenu
    assert window.act_copy_figure in glw.actions() and window.act_export in glw.actions()
    QGuiApplication.clipboard().clear()
    window.act_copy_figure.trigger()
    mime = QGuiApplication.clipboard().mimeData()
    assert mime.hasImage()
    svg = bytes(mime.data("image/svg+xml"))
    assert svg.startswith(b"<?xml") and b"<svg" in svg[:400]


def test_view_toggles_reach_the_plot_and_the_settings(window):
    w = window.plot.widget
    assert any(x.startswith("HR ") for x in w.annotation)
    window.act_show_hr.trigger()
    assert window.settings.show_hr is False and not any(x.startswith("HR ") for x in w.annotation)
    window.act_show_median.trigger()
    assert window.settings.show_median is False and not w.median_items


def test_copy_figure_with_nothing_shown_says_so_in_the_status_bar(make_window, errors):
    """An empty project: Edit → Copy figure explains in the status bar, no error dialog."""
    w = make_window()
    w.show()
    assert w.t_index is None
    w.act_copy_figure.trigger()
    assert "Nothing to copy" in w.statusBar().currentMessage()
    assert not errors
