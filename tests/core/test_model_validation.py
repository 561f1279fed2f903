"""Validation messages per field, and the parsing of typed values."""
import pytest

from evidencegui.core import model as m
from evidencegui.core.model import Arm, Endpoint, Landmark, Project, Trial


def fields(problems):
    return {p.field for p in m.errors(problems)}


def test_arm_checks():
    a = Arm("E", n=10, events=12, median=5, median_lower=6, hr=-1, p_value=2,
            landmarks=[Landmark(24, 1.5)])
    f = fields(m.validate_arm(a))
    assert {"events", "median_lower", "hr", "p_value", "surv_24m"} <= f
    assert fields(m.validate_arm(Arm("E", median=0))) == {"median"}
    assert fields(m.validate_arm(Arm("E", median_not_reached=True, median_upper=50))) == {"median_upper"}


def test_endpoint_checks():
    ep = Endpoint("OS", [Arm("A", "control"), Arm("A", "control")])
    f = fields(m.validate_endpoint(ep))
    assert "label" in f and "role" in f
    assert not m.errors(m.validate_project(Project([Trial("T", [Endpoint("OS", [Arm("A", "control"), Arm("B")])])])))


def test_parse_probability():
    assert m.parse_probability("37%") == pytest.approx(0.37)
    assert m.parse_probability("0.37") == pytest.approx(0.37)
    assert m.parse_probability(0.37) == 0.37
    assert m.parse_probability("") is None
    for bad in ("37", "137%", "-1%", "abc", "%"):
        with pytest.raises(ValueError):
            m.parse_probability(bad)


def test_parse_count_and_bool():
    assert m.parse_count("402") == 402 and m.parse_count(402.0) == 402
    with pytest.raises(ValueError):
        m.parse_count("402.5")
    assert m.parse_bool("yes") is True and m.parse_bool("0") is False and m.parse_bool("") is None
    with pytest.raises(ValueError):
        m.parse_bool("maybe")
