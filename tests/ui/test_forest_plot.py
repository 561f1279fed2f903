"""The forest plot widget: rows and footer over core.pooling results, the subgroup mode, the
symmetric log axis, messages instead of a plot, and the offscreen PNG/SVG at print resolution."""
import io
import math

import pytest
from PIL import Image

import across_projects as ap
from evidencegui.core.model import SubgroupResult, Arm
from evidencegui.core.across import subgroup_studies
from evidencegui.core.pooling import pool, study_from_hr
from evidencegui.ui.views import forest_plot as fp


def _cdk():
    return pool([study_from_hr(r[0], r[3], r[4], r[5]) for r in ap.CDK])


def test_rows_text_and_weights():
    d = fp.forest_data(_cdk())
    kinds = [r.kind for r in d.rows]
    assert kinds == ["study"] * 3 + ["fixed", "random", "pi"]
    assert [r.hr_text for r in d.rows[:3]] == ["0.58 (0.46–0.72)", "0.56 (0.43–0.72)", "0.54 (0.41–0.72)"]
    assert d.rows[0].w_fixed == "41.9%"              # 1/SE² shares: (0.72/0.46 CI) ...
    assert d.rows[5].hr_text == "0.22–1.44"          # prediction interval (t, k − 2 df)
    assert d.footer[0].startswith("Heterogeneity: I² = 0%, τ² = 0.000 (REML), Q = 0.15 on 2 df, p = 0.93")


def test_one_trial_is_not_pooled():
    d = fp.forest_data(pool([study_from_hr("A", 0.7, 0.5, 0.9)]))
    assert [r.kind for r in d.rows] == ["study"] and d.footer == ["One trial: nothing to pool."]


def test_groups_get_their_own_diamonds_and_the_difference_test():
    studies = [study_from_hr(n, h, lo, hi, group=g) for n, h, lo, hi, g in (
        ("A", 0.6, 0.45, 0.8, "class 1"), ("B", 0.65, 0.5, 0.85, "class 1"),
        ("C", 0.9, 0.7, 1.15, "class 2"), ("D", 0.95, 0.75, 1.2, "class 2"))]
    d = fp.forest_data(pool(studies))
    labels = [r.label for r in d.rows]
    assert labels[0] == "class 1" and labels.count("Subtotal, fixed effect") == 2
    assert any(line.startswith("Test for group differences: Q = ") for line in d.footer)


def test_subgroups_are_never_pooled_across_variables():
    arm = Arm("E", subgroups=[SubgroupResult("Age", "<65", 0.6, 0.5, 0.75), SubgroupResult("Age", "≥65", 0.7, 0.5, 1.0),
                              SubgroupResult("Sex", "F", 0.66, 0.5, 0.85), SubgroupResult("Sex", "M", 0.62, 0.45, 0.85)])
    d = fp.forest_data(pool(subgroup_studies(arm)), "subgroups")
    assert [r.kind for r in d.rows].count("random") == 0
    assert [r.label for r in d.rows if r.kind == "group"] == ["Age", "Sex"]
    assert all(r.w_fixed == "" for r in d.rows)
    assert any(line.startswith("Age: test for interaction") for line in d.footer)


@pytest.mark.parametrize("need, bound", [(1.3, 1.5), (1.9, 2.0), (3.0, 4.0), (8.0, 10.0), (1e4, 100.0)])
def test_symmetric_axis(need, bound):
    rows = [fp.ForestRow("study", "x", math.log(need) / 1.05, None, None)]
    assert fp.axis_bound(rows)[0] == bound


def test_widget_draws_the_rows(qtbot):
    w = fp.ForestPlotWidget()
    qtbot.addWidget(w)
    res = _cdk()
    w.set_result(res)
    x, y = w.square_item.getData()
    assert list(y) == [0, 1, 2] and x[0] == pytest.approx(math.log(0.58))
    w.set_message("No trial with a hazard ratio")
    assert not w.square_item.isVisible() and w.message_item.isVisible() and w.row_count() == 0
    w.set_result(res)                                  # back: items reused, visible again
    assert w.square_item.isVisible() and not w.message_item.isVisible()


def test_png_scales_with_dpi_fonts_included(qtbot):
    res = _cdk()
    low = Image.open(io.BytesIO(fp.render_png(res, dpi=100, width_in=10)))
    high = Image.open(io.BytesIO(fp.render_png(res, dpi=300, width_in=10)))
    assert low.size[0] == 1000 and high.size[0] == 3000
    narrow = Image.open(io.BytesIO(fp.render_png(res, dpi=100, width_in=4)))
    assert narrow.size[0] > 700              # widened to hold its text columns, not cut
    assert high.size[1] == pytest.approx(3 * low.size[1], rel=0.03)     # rows, text and all scale
    assert round(high.info["dpi"][0]) == 300
    # dark pixels (text, squares) cover the same share of both images: nothing left thin or small
    def ink(im):
        import numpy as np
        return float((np.asarray(im.convert("L")) < 128).mean())
    assert ink(high) == pytest.approx(ink(low), rel=0.25)


def test_svg_renders(qtbot):
    data = fp.render_svg(_cdk(), title="PFS")
    import xml.etree.ElementTree as ET
    root = ET.fromstring(data)
    assert root.tag.endswith("svg") and b"MONARCH 3" in data


def test_svg_draws_the_same_in_librsvg(qtbot, tmp_path):
    """Qt writes cosmetic pens as non-scaling strokes inside data-coordinate transforms, which
    librsvg draws as huge bars (PITFALLS); ui/figure.py's portable_svg (issue 14) bakes the
    transforms. Compare librsvg's rendering with the PNG: the share of ink must agree."""
    import shutil
    import subprocess
    import numpy as np
    figure = pytest.importorskip("evidencegui.ui.figure")
    if not hasattr(figure, "portable_svg") or shutil.which("rsvg-convert") is None:
        pytest.skip("needs ui/figure.portable_svg (issue 14) and rsvg-convert")
    svg = tmp_path / "f.svg"
    svg.write_bytes(fp.render_svg(_cdk(), width_in=8))
    out = tmp_path / "f.png"
    subprocess.run(["rsvg-convert", "-w", "768", str(svg), "-o", str(out)], check=True, timeout=60)
    png = Image.open(io.BytesIO(fp.render_png(_cdk(), dpi=96, width_in=8)))
    def ink(im):
        im = im.convert("RGBA")
        flat = Image.alpha_composite(Image.new("RGBA", im.size, "white"), im).convert("L")
        return float((np.asarray(flat) < 128).mean())
    ink = [ink(Image.open(out)), ink(png)]
    assert ink[0] == pytest.approx(ink[1], rel=0.3)


def test_long_study_names_are_cut_so_the_plot_keeps_its_room(qtbot):
    res = pool([study_from_hr("X" * 300, 0.6, 0.4, 0.9), study_from_hr("Short", 0.8, 0.6, 1.1)])
    w = fp.ForestPlotWidget()
    qtbot.addWidget(w)
    w.set_result(res)
    shown = w.column_text["study"].texts()[0]
    assert len(shown) == fp.LABEL_CHARS and shown.endswith("…")
    assert w.column_widths()["study"] < 500


def test_considerable_heterogeneity_is_said_under_the_forest():
    """CLEOPATRA + PHILA (I² 91%): the second footer line says to read the pooled HR with care;
    the CDK4/6 trials (I² 0%) have no such line."""
    from evidencegui.core.across import forest_studies
    studies, _ = forest_studies(ap.her2(), "PFS")
    d = fp.forest_data(pool(studies))
    assert d.footer[0].startswith("Heterogeneity: I² = 91%")
    assert d.footer[1].startswith("Considerable heterogeneity (I² = 91%)")
    assert not any("Considerable" in line for line in fp.forest_data(_cdk()).footer)
