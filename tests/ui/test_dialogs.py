"""Dialogs: column mapping guesses, help page and about text."""
from evidencegui.ui.dialogs.about import about_html
from evidencegui.ui.dialogs.column_mapping import PatientImportDialog
from evidencegui.ui.dialogs.help import HelpDialog


def test_column_mapping_guesses_columns_and_coding(qtbot, tmp_path):
    d = PatientImportDialog(tmp_path / "x.csv", ["id", "os_months", "death", "arm"],
                            [[1, 3.2, 1, "A"], [2, 5.0, 0, "B"]])
    qtbot.addWidget(d)
    m = d.mapping()
    assert (m["time_col"], m["event_col"], m["arm_col"], m["event_value"]) == ("os_months", "death", "arm", "1")
    assert m["control"] == "A" and m["time_unit"] == "months"
    assert d.preview.rowCount() == 2


def test_help_page_explains_each_measure(qtbot):
    d = HelpDialog()
    qtbot.addWidget(d)
    text = d.browser.toPlainText()
    for word in ("Median gain", "hazard ratio", "NNT", "RMST", "ESMO-MCBS", "Guyot"):
        assert word.lower() in text.lower(), word


def test_about_names_licences():
    html = about_html()
    assert "LGPL" in html and "pyqtgraph" in html and "0." in html


def test_digitized_import_reconstructs_cleopatra(qtbot):
    from evidencegui.resources import resource
    from evidencegui.ui.dialogs.digitized import DigitizedImportDialog
    d = DigitizedImportDialog(None, resource("examples", "cleopatra", "os_digitized.csv"),
                              resource("examples", "cleopatra", "os_at_risk.csv"), "CLEO-R", "OS")
    qtbot.addWidget(d)
    assert len(d.curves) == 2
    assert d.run()
    p = d.build_project()
    arms = p.trials[0].endpoints[0].arms
    assert [a.n for a in arms] == [402, 406]
    assert sum(a.role == "control" for a in arms) == 1 and arms[0].patients.origin == "reconstructed"
    assert "RMS" in d.report.toPlainText()


def test_help_page_titles_are_not_cut(qtbot):
    """Help's page list is as wide as its longest title ('How the measures are computed')."""
    d = HelpDialog()
    qtbot.addWidget(d)
    d.show()
    fm = d.pages.fontMetrics()
    for i in range(d.pages.count()):
        title = d.pages.item(i).text()
        assert fm.horizontalAdvance(title) <= d.pages.viewport().width() - 4, title
