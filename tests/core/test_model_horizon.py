"""Modelled curves stop at the last landmark or 1.5 × the longest median (whichever is later),
never beyond the patient-level follow-up drawn with them, or where the user says."""
import numpy as np

from evidencegui.core import curves as cc
from evidencegui.core.model import Arm, Landmark, PatientData


def test_default_horizon_is_the_later_of_last_landmark_and_one_and_a_half_medians():
    a = Arm("A", median=10.0)
    b = Arm("B", median=24.0)
    assert cc.default_model_horizon([a, b]) == 36.0
    c = Arm("C", median=10.0, landmarks=[Landmark(60, 0.2)])
    assert cc.default_model_horizon([a, c]) == 60.0
    assert cc.default_model_horizon([Arm("nothing")]) is None


def test_modelled_curves_end_at_the_horizon_and_are_flagged():
    arms = [Arm("Control", role="control", median=10.4), Arm("Exp", median=24.3)]
    curves = cc.arms_curves(arms)
    assert [c.modelled for c in curves] == [True, True]
    assert all(c.label.endswith("(modelled)") for c in curves)
    assert all(abs(c.time[-1] - 1.5 * 24.3) < 1e-9 for c in curves)
    user = cc.arms_curves(arms, horizon=18.0)
    assert all(c.time[-1] == 18.0 for c in user)


def test_never_past_the_patient_level_follow_up():
    rng = np.random.default_rng(0)
    t = np.minimum(rng.exponential(20, 200), 30.0)
    km_arm = Arm("KM", role="control", patients=PatientData(t.tolist(), (t < 30).astype(int).tolist()))
    model = Arm("Model", median=40.0)
    curves = cc.arms_curves([km_arm, model])
    assert curves[1].modelled and curves[1].time[-1] == max(t)
