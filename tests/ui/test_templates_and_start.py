"""First run and templates: the example opens as an unsaved copy by any route, Save asks where
(the documents folder at first) and never writes into the program's resources; the title shows
the project's name; File → New from template; the start page; Help → Getting started."""
from __future__ import annotations

import hashlib

from PySide6.QtWidgets import QFileDialog, QInputDialog

from evidencegui.resources import resource, resources_dir
from evidencegui.ui import launch
from evidencegui.ui.settings import documents_dir

EXAMPLE = resource("examples", "cleopatra.evidence.json")
CLEO = "CLEOPATRA and PHILA"                    # the examples' own titles, as people read them
CDK = "CDK4/6 inhibitors + aromatase inhibitor, first-line PFS"


def _digest():
    return hashlib.sha256(EXAMPLE.read_bytes()).hexdigest()


def test_the_example_is_a_template_by_every_route(window, monkeypatch, tmp_path):
    before = _digest()
    asked = []

    def save_dialog(_parent, _title, start, _filter):
        asked.append(start)
        return "", ""
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(save_dialog))
    # File → Open (or a recent file, or a dropped file: all go through open_path)
    monkeypatch.setattr(QFileDialog, "getOpenFileName", staticmethod(lambda *a, **k: (str(EXAMPLE), "")))
    window.act_open.trigger()
    assert window.path is None
    assert window.windowTitle().startswith(f"Example: {CLEO} (unsaved copy)")
    window.add_arm()
    window.act_save.trigger()                          # asks where: never the example itself
    assert asked and not asked[-1].startswith(str(resources_dir()))
    assert asked[-1].startswith(documents_dir())
    assert str(EXAMPLE) not in window.settings.recent_files()
    from PySide6.QtWidgets import QMessageBox
    said = []
    monkeypatch.setattr(QMessageBox, "exec", lambda box: said.append(box.text()))
    assert not window.save_to(EXAMPLE)                 # refused even when asked directly
    assert "never overwritten" in said[0]
    assert _digest() == before
    # saved elsewhere: the title shows the new name
    window.controller.set_clean()
    target = tmp_path / "board.evidence.json"
    assert window.save_to(target)
    assert window.windowTitle().startswith("board[*]".replace("[*]", "")) and window.path == target


def test_first_run_opens_the_example_as_an_unsaved_copy(make_window):
    w = make_window()
    launch.open_initial(w)
    assert w.path is None and w.template_name == CLEO
    assert w.windowTitle().startswith(f"Example: {CLEO} (unsaved copy)")


def test_new_from_template_and_the_summary_template(window, monkeypatch, tmp_path):
    offered = []

    def pick(_p, _t, _l, items, *a, **k):
        offered.append(list(items))
        return next(i for i in items if i.startswith("CDK4/6")), True
    monkeypatch.setattr(QInputDialog, "getItem", staticmethod(pick))
    window.act_new_template.trigger()
    assert offered == [[CLEO, CDK]]             # names a clinician reads, not "CDK46"; first-run example first
    assert [t.name for t in window.project.trials] == ["PALOMA-2", "MONALEESA-2", "MONARCH 3"]
    assert window.path is None and window.template_name == CDK
    assert window.windowTitle().startswith(f"Example: {CDK} (unsaved copy)")
    assert window.statusBar().currentMessage().startswith(f"Opened the example “{CDK}” as a new, unsaved")
    # Save as… suggests a file name without the title's "/" and "+"
    asked = []
    monkeypatch.setattr(QFileDialog, "getSaveFileName",
                        staticmethod(lambda _p, _t, start, _f: (asked.append(start), ("", ""))[1]))
    window.act_save.trigger()
    assert asked[0].endswith("/cdk4_6_inhibitors_aromatase_inhibitor_first-line_pfs.evidence.json")
    out = tmp_path / "summary.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window.act_summary_template.trigger()
    assert out.read_bytes() == resource("templates", "summary_template.xlsx").read_bytes()


def test_start_page_shows_while_the_project_is_empty(window, monkeypatch):
    window.set_project(type(window.project)())
    assert window.centre.currentWidget() is window.start_page
    buttons = window.start_page.buttons
    assert {"example:CLEOPATRA", "example:CDK46", "new", "summary", "template", "digitized", "help"} <= set(buttons)
    assert buttons["example:CLEOPATRA"].text() == f"Open the example: {CLEO}"
    assert buttons["example:CDK46"].text() == f"Open the example: {CDK}"
    assert not any("CDK46" in b.text() for b in buttons.values())
    grid = window.start_page.grid            # a long title has a row of its own (never widens the window)
    for key in ("example:CLEOPATRA", "example:CDK46"):
        _row, col, _rows, cols = grid.getItemPosition(grid.indexOf(buttons[key]))
        assert (col, cols) == (0, 2)
    buttons["example:CDK46"].click()
    assert window.centre.currentWidget() is window.plot and window.project.trials[0].name == "PALOMA-2"
    assert window.windowTitle().startswith(f"Example: {CDK} (unsaved copy)")
    assert f"“{CDK}”" in window.statusBar().currentMessage()
    window.set_project(type(window.project)())
    window.start_page.buttons["example:CLEOPATRA"].click()
    assert window.project.trials[0].name == "CLEOPATRA"
    assert window.windowTitle().startswith(f"Example: {CLEO} (unsaved copy)")
    window.act_start.trigger()
    assert window.centre.currentWidget() is window.start_page


def test_start_page_offers_digitize_a_figure_when_the_program_has_it(window):
    from PySide6.QtWidgets import QApplication

    from evidencegui.ui.start_page import _digitize_action
    action = _digitize_action(window)          # File → Digitize a figure (ui/digitize_window.py)
    assert action is not None
    hit = []
    action.triggered.connect(lambda *_: hit.append(1))
    window.show_start_page()
    window.start_page.buttons["digitize"].click()
    assert hit == [1]
    for w in QApplication.topLevelWidgets():
        if w is not window and w.isWindow() and w.isVisible():
            w.close()


def test_getting_started_has_task_pages_with_pictures(qtbot):
    from evidencegui.ui.dialogs.help import HelpDialog
    d = HelpDialog(page="getting_started.html")
    qtbot.addWidget(d)
    html = resource("help", "getting_started.html").read_text()
    for word in ("Add trial", "Import", "Export", "F2", "template"):
        assert word in d.browser.toPlainText(), word
    import re
    pics = re.findall(r'src="([^"]+)"', html)
    assert pics and all(resource("help", p).is_file() for p in pics)
    d.pages.setCurrentRow(1)
    assert "Median gain" in d.browser.toPlainText()


def test_example_names_come_from_the_files_titles(tmp_path):
    from evidencegui.ui.window_files import example_name
    assert example_name(EXAMPLE) == CLEO
    untitled = tmp_path / "my_trials.evidence.json"
    untitled.write_text('{"kind": "evidencegui-project", "project": {"trials": []}}')
    assert example_name(untitled) == "MY TRIALS"                     # no title: the file's name
    broken = tmp_path / "broken.evidence.json"
    broken.write_text("{not json")
    assert example_name(broken) == "BROKEN"
