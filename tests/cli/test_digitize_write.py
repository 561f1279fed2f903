"""io/digitizer_write: what it writes, io/digitizer (the reader `reconstruct` uses) reads back."""
import pytest

from evidencegui.core.digitize import AtRisk, Curve
from evidencegui.io.digitizer import read_at_risk, read_digitized
from evidencegui.io.digitizer_write import write_at_risk_csv, write_wpd_csv


def test_round_trip_unequal_lengths_and_awkward_names(tmp_path):
    curves = [Curve("Arm A, high dose", (0, 0, 255), [(0.0, 1.0), (1.5, 1.0), (1.5, 0.9), (3.25, 0.9)]),
              Curve("=HYPERLINK(1)", (255, 0, 0), [(0.0, 1.0), (2.0, 1.0), (2.0, 0.123456789012345)])]
    p = tmp_path / "c.csv"
    write_wpd_csv(curves, p)
    got = read_digitized(p)
    assert list(got) == ["Arm A, high dose", "'=HYPERLINK(1)"]      # a formula never reaches a spreadsheet
    a = got["Arm A, high dose"]
    assert a.t.tolist() == [0.0, 1.5, 1.5, 3.25] and a.s.tolist() == [1.0, 1.0, 0.9, 0.9]
    assert got["'=HYPERLINK(1)"].s.tolist()[-1] == 0.123456789012345     # full precision
    nar = tmp_path / "n.csv"
    write_at_risk_csv(AtRisk([0.0, 6.0, 12.0], {"Arm A, high dose": [50, 40, 31], "B": [50, 38]}), nar)
    t = read_at_risk(nar)
    assert t.times == [0.0, 6.0, 12.0] and t.counts == {"Arm A, high dose": [50, 40, 31], "B": [50, 38]}


def test_refuses_what_reconstruct_could_not_read(tmp_path):
    with pytest.raises(ValueError, match="no curves"):
        write_wpd_csv([], tmp_path / "c.csv")
    same = [Curve("A", (0, 0, 0), [(0, 1)]), Curve("A", (0, 0, 0), [(0, 1)])]
    with pytest.raises(ValueError, match="distinct"):
        write_wpd_csv(same, tmp_path / "c.csv")
    with pytest.raises(ValueError, match="not 'time'"):
        write_at_risk_csv(AtRisk([0.0], {"Time": [3]}), tmp_path / "n.csv")
