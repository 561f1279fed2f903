"""Found walking through a tumor-board day (CLEOPATRA, then PHILA typed from scratch) as a new user;
each test goes through the door the user used (menu action, dialog, keys)."""
from PySide6.QtWidgets import QFileDialog


def test_workbook_median_gain_reads_signed_as_in_the_window(window, tmp_path, monkeypatch):
    """File → Export → Comparison workbook: the window says +15.7 for CLEOPATRA OS; the
    Comparison sheet wrote 15.7 (format "0.0"), the Across-trials sheet +15.7."""
    import openpyxl
    from evidencegui.io.format import fmt_gain
    from evidencegui.ui import exports
    errors = []
    monkeypatch.setattr(exports, "show_error", lambda *a, **k: errors.append(a[1:]))
    out = tmp_path / "board.xlsx"
    monkeypatch.setattr(QFileDialog, "getSaveFileName", staticmethod(lambda *a, **k: (str(out), "")))
    window.export_actions[".xlsx"].trigger()
    assert not errors and out.is_file()
    assert window.comparison.external.section().row("median_gain").reported == "+15.7"
    ws = openpyxl.load_workbook(out)["Comparison"]
    row = next(c.row for c in ws["A"] if c.value == "Median gain")
    cell = ws.cell(row, 4)                            # the experimental arm's column
    assert cell.value.startswith("=IF(")
    positive, negative, zero = cell.number_format.split(";")
    # the format shows 15.7 as the window does: a sign, one decimal
    assert positive == "+0.0" and "−" in negative and negative.endswith("0.0") and zero == "0.0"
    assert fmt_gain(15.7) == "+15.7" and fmt_gain(-2.0) == "−2.0"
    across = openpyxl.load_workbook(out)["Across trials"]
    header = [c.value for c in across[4]]
    gain_col = header.index("Median gain") + 1
    assert across.cell(5, gain_col).number_format == cell.number_format


def test_new_project_says_what_to_do_next_not_what_was_opened_before(window, monkeypatch):
    """File → New project after the first run: the status bar still said "Opened the example …
    Save asks where to keep it" over an empty window."""
    from PySide6.QtWidgets import QMessageBox
    monkeypatch.setattr(QMessageBox, "question",
                        staticmethod(lambda *a, **k: QMessageBox.StandardButton.Discard))
    window.act_new.trigger()
    assert window.project.trials == []
    text = window.statusBar().currentMessage()
    assert "example" not in text and "Add trial" in text and "Ctrl+T" in text


def test_add_trial_dialog_shows_a_regimen_name_whole(window, qtbot):
    """Edit → Add trial… (Ctrl+T): "Placebo+Trastuzumab+Docetaxel" typed as the control arm
    showed as "bo+Trastuzumab+Docetaxel" (the field was too narrow)."""
    from PySide6.QtCore import QTimer
    from PySide6.QtTest import QTest
    from PySide6.QtWidgets import QApplication, QDialogButtonBox
    seen = {}
    names = {"control": "Placebo+Trastuzumab+Docetaxel", "experimental": "Pyrotinib+Trastuzumab+Docetaxel"}

    def fill():
        d = QApplication.activeModalWidget()
        if d is None:
            QTimer.singleShot(50, fill)
            return
        QTest.keyClicks(d.name, "PHILA")
        for attr, text in names.items():
            edit = getattr(d, attr)
            edit.selectAll()
            QTest.keyClicks(edit, text)
            seen[attr] = edit.contentsRect().width() >= edit.fontMetrics().horizontalAdvance(text)
        d.buttons.button(QDialogButtonBox.StandardButton.Ok).click()
    QTimer.singleShot(0, fill)
    window.act_add_trial.trigger()
    assert seen == {"control": True, "experimental": True}
    labels = {a.label for a in window.project.trials[-1].endpoints[0].arms}
    assert labels == set(names.values())


def test_ending_the_overlay_does_not_leave_the_overlay_message(window, monkeypatch):
    """View → Overlay arms…, then View → Back to the endpoint's own arms: the status bar kept
    "Overlay of 4 arms; View → Back to the endpoint's own arms ends it" under the plain plot."""
    from evidencegui.ui.dialogs.overlay import OverlayDialog

    def exec_(self):
        self.set_checked([(ti, ei, ai) for ti, t in enumerate(window.project.trials)
                          for ei, e in enumerate(t.endpoints) if e.name == "PFS"
                          for ai in range(len(e.arms))])
        return OverlayDialog.DialogCode.Accepted
    monkeypatch.setattr(OverlayDialog, "exec", exec_)
    window.act_overlay.trigger()
    assert window.overlay and "Overlay of 4 arms" in window.statusBar().currentMessage()
    window.act_overlay_off.trigger()
    text = window.statusBar().currentMessage()
    assert window.overlay is None and "Overlay of" not in text
    assert "CLEOPATRA — OS" in text


def test_getting_started_names_the_example_the_start_page_offers(window, monkeypatch):
    """Help → Getting started said the start page "opens the CLEOPATRA example" and showed an
    older start page; the button reads "Open the example: CLEOPATRA and PHILA"."""
    from evidencegui.ui.dialogs.help import HelpDialog
    from evidencegui.ui.window_files import examples
    seen = {}

    def exec_(self):
        seen["text"] = self.browser.toPlainText()
        return 0
    monkeypatch.setattr(HelpDialog, "exec", exec_)
    window.act_getting_started.trigger()
    title = next(name for _key, name, path in examples() if path.name == "cleopatra.evidence.json")
    assert title in seen["text"]


def test_across_trials_on_an_endpoint_without_an_indirect_comparison_names_the_one_that_has_it(window):
    """View → Across trials from CLEOPATRA OS (the first run): "No indirect comparison …" and
    nothing more, though PFS has one (CLEOPATRA and PHILA share the control)."""
    window.act_across.trigger()
    view = window.across_view
    assert view.endpoint == "OS" and not view.indirect
    text = view.indirect_box.toPlainText()
    assert "PFS has one: choose it under Endpoint above." in text
    view.endpoint_box.setCurrentText("PFS")
    assert view.indirect and "HR 1.66 (1.23–2.24)" in view.indirect_box.toPlainText()
    assert "choose it under Endpoint" not in view.indirect_box.toPlainText()


def test_ungraded_reconstructed_trial_says_the_way_out_where_it_is_read(window):
    """A trial made by File → Digitize a figure…: the detail pane said only "cannot grade: missing
    the control median, …" though the Reconstructed column has them; the menu item that copies
    them was named only inside the collapsed ESMO-MCBS row."""
    from test_esmo_derived import _reconstructed_only
    window.set_project(_reconstructed_only())
    window.show_endpoint(0, 0)
    panel = window.comparison.external
    text = panel.as_text()
    assert "cannot grade" in text
    assert "Analysis → Use the reconstructed values for ESMO-MCBS… fills them" in text
    assert window.act_esmo_copy.text().replace("&", "").startswith("Use the reconstructed values for ESMO-MCBS")
