"""Values that fail validation are marked in the table and never feed a derived number, the
ESMO-MCBS grade or an export without a flag (a CI that does not contain its estimate,
more events than patients)."""
import zipfile

import pytest

from evidencegui.core.effects import compare_project
from evidencegui.io.project_file import load_project
from evidencegui.resources import resource


@pytest.fixture
def bad_project():
    p = load_project(resource("examples", "cleopatra.evidence.json"))
    ep = p.trials[0].endpoints[0]
    exp = ep.experimental[0]
    exp.hr_lower = 0.75                # above the HR 0.68: impossible
    ep.control.events = 500            # more than the 406 patients
    return p


def test_core_leaves_invalid_values_out_and_says_so(bad_project):
    c = compare_project(bad_project)[0]
    assert c.hr == 0.68 and c.hr_lower is None and c.hr_upper == 0.84
    assert c.hr_se == pytest.approx(0.1029988945, rel=1e-8)      # from p = 0.0002, not the bad CI
    assert any("hr_lower not used" in m for m in c.input_errors)
    assert any("500 events exceed the 406 patients" in m for m in c.input_errors)
    assert c.esmo.preliminary_grade is None                       # no grade on an impossible CI
    assert "the lower limit of the HR's 95% CI" in c.esmo.missing
    assert c.to_json()["input_errors"] == c.input_errors


def test_panel_and_exports_flag_the_invalid_input(bad_project, qtbot, tmp_path):
    from evidencegui.io.pptx_writer import write_slides
    from evidencegui.io.xlsx_writer import write_workbook
    from evidencegui.ui.comparison_panel import ComparisonPanel

    panel = ComparisonPanel()
    qtbot.addWidget(panel)
    t = bad_project.trials[0]
    panel.set_endpoint(bad_project, t, t.endpoints[0])
    notes = " ".join(n for s in panel.sections for n in s.notes)
    assert "invalid input left out" in notes and "hr_lower" in notes

    xlsx, pptx = tmp_path / "b.xlsx", tmp_path / "b.pptx"
    write_workbook(bad_project, xlsx, {})
    write_slides(bad_project, pptx, {})
    from openpyxl import load_workbook
    text = " ".join(str(c.value) for ws in load_workbook(xlsx) for row in ws.iter_rows()
                    for c in row if c.value)
    assert "invalid input, left out" in text and "500 events exceed" in text
    with zipfile.ZipFile(pptx) as z:
        slides = " ".join(z.read(n).decode("utf-8") for n in z.namelist()
                          if n.startswith("ppt/slides/slide"))
    assert "invalid input left out" in slides
    assert "0.75" not in slides.split("HR (95% CI)")[1][:400]     # the bad CI is not shown


def test_a_trial_with_only_patient_data_is_told_what_esmo_needs():
    p = load_project(resource("examples", "cleopatra.evidence.json"))
    ep = p.trials[0].endpoints[0]
    for a in ep.arms:                   # as after importing a digitized curve: no reported numbers
        a.median = a.median_lower = a.median_upper = a.hr = a.hr_lower = a.hr_upper = None
        a.p_value = None
    c = compare_project(p)[0]
    assert c.esmo.preliminary_grade is None
    assert any("type the reported control median" in n for n in c.esmo.notes)
