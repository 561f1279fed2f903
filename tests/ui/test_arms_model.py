"""The arms table model: parsing typed text, marking problems, commands for every edit."""
import pytest
from PySide6.QtCore import Qt

from evidencegui.core.model import Arm, Endpoint, Project, Trial
from evidencegui.ui.arms_model import ArmsTableModel, parse_landmark


@pytest.fixture
def model(qtbot):
    p = Project(trials=[Trial("T", [Endpoint("OS", [Arm("Ctl", role="control", n=100),
                                                    Arm("Exp", n=100, hr=0.7)])])])
    pushed = []
    m = ArmsTableModel()
    m.push = lambda c: (pushed.append(c), c.apply(p), m.refresh())
    m.set_endpoint(p, 0, 0)
    m.pushed = pushed
    return m


def set_(m, row, key, text):
    return m.setData(m.index(row, m.column_index(key)), text, Qt.ItemDataRole.EditRole)


def test_p_value_bound_and_not_reached(model):
    set_(model, 1, "p_value", "<0.001")
    arm = model.arms()[1]
    assert arm.p_value == 0.001 and arm.p_value_upper_bound
    assert model.data(model.index(1, model.column_index("p_value"))) == "<0.001"
    set_(model, 1, "median", "not reached")
    assert arm.median is None and arm.median_not_reached


def test_refused_texts(model):
    for key, text, why in (("n", "12.5", "whole number"), ("hr", "0", "> 0"), ("role", "maybe", "control"),
                           ("label", "Ctl", "already used"), ("p_value", "2", "[0, 1]")):
        set_(model, 1, key, text)
        assert why in model.cell_problem(1, key), key
    assert model.pushed == []
    set_(model, 1, "n", "120")            # a good value clears the refused text
    assert model.cell_problem(1, "n") is None and model.arms()[1].n == 120


def test_checkbox_and_role(model):
    idx = model.index(1, model.column_index("hr_stratified"))
    model.setData(idx, Qt.CheckState.Checked.value, Qt.ItemDataRole.CheckStateRole)
    assert model.arms()[1].hr_stratified
    set_(model, 1, "role", "control")
    assert [a.role for a in model.arms()] == ["experimental", "control"]


def test_same_value_pushes_nothing(model):
    set_(model, 0, "n", "100")
    assert model.pushed == []


@pytest.mark.parametrize("text,expect", [("0.72", (0.72, None, None)), ("72%", (0.72, None, None)),
                                         ("0.72 (0.67-0.77)", (0.72, 0.67, 0.77)),
                                         ("72% (67–77)", (0.72, 0.67, 0.77))])
def test_parse_landmark(text, expect):
    lm = parse_landmark(text, 24)
    assert (lm.survival, lm.lower, lm.upper) == pytest.approx(expect, abs=1e-12)


def test_compact_headers_keep_full_explanations_and_arm_names(model):
    heads = [model.headerData(i, Qt.Orientation.Horizontal) for i in range(model.columnCount())]
    assert {"Med. low", "Med. high", "HR low", "HR high", "Strat."} <= set(heads)
    tip = model.headerData(model.column_index("hr_lower"), Qt.Orientation.Horizontal,
                           Qt.ItemDataRole.ToolTipRole)
    assert "Lower limit of the HR's 95% CI" in tip
    # the arm column may be narrower than a long name: the full name is on hover
    label_tip = model.data(model.index(1, model.column_index("label")), Qt.ItemDataRole.ToolTipRole)
    assert label_tip.splitlines()[0] == "Exp"
