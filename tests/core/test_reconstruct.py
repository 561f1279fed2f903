"""Reconstruction of CLEOPATRA from its digitized curves, checked against the published trial
(HR 0.68, deaths ~165 vs ~216) with lifelines' Cox model as the independent HR oracle."""
import numpy as np
import pandas as pd
import pytest

from evidencegui.core.errors import InputError
from evidencegui.core.reconstruct import km_steps, reconstruct
from evidencegui.io.digitizer import read_at_risk, read_digitized
from tests.conftest import FIXTURES

PERT, PLAC = "Pertuzumab+Trastuzumab+Docetaxel", "Placebo+Trastuzumab+Docetaxel"


def _recon(ep):
    curves = read_digitized(FIXTURES / "cleopatra" / f"{ep}_digitized.csv")
    table = read_at_risk(FIXTURES / "cleopatra" / f"{ep}_at_risk.csv")
    return {k: reconstruct(c.t, c.s, *table.for_arm(k)) for k, c in curves.items()}


def _hr(recs):
    from lifelines import CoxPHFitter
    df = pd.concat([pd.DataFrame({"time": r.time, "event": r.event, "exp": int(k == PERT)})
                    for k, r in recs.items()])
    return float(np.exp(CoxPHFitter().fit(df, "time", "event").params_.iloc[0]))


def test_cleopatra_os():
    recs = _recon("os")
    assert abs(_hr(recs) - 0.68) <= 0.03
    assert abs(recs[PERT].events - 165) <= 0.05 * 165
    assert abs(recs[PLAC].events - 216) <= 0.05 * 216
    assert recs[PERT].n == 402 and recs[PLAC].n == 406
    for r in recs.values():
        assert list(r.fit.at_risk_given) == list(r.fit.at_risk_reconstructed)
        assert r.fit.max_abs_distance < 0.02


def test_cleopatra_pfs():
    assert abs(_hr(_recon("pfs")) - 0.67) <= 0.03


def test_unsorted_curve_is_cleaned_with_warnings():
    t = [0.0, 2.0, 1.0, 3.0, 3.5, 5.0]
    s = [1.0, 0.9, 0.95, 0.8, 0.82, 0.7]
    r = reconstruct(t, s, [0, 2, 4], [100, 90, 78])
    assert any("sorted" in w for w in r.warnings)
    assert any("running minimum" in w for w in r.warnings)
    assert r.n == 100


def test_infeasible_table_is_an_error():
    with pytest.raises(InputError, match="other arm"):
        reconstruct([0, 1, 1, 5], [1, 1, 0.5, 0.5], [0, 2], [100, 90])


# ----------------------------------------------------------------------------------------------
# The algorithm's details, on small hand-made curves

def test_first_zero_of_the_table_closes_the_last_interval():
    # 10 patients; the curve drops to 0.8 then to 0 at t = 9 (the last patient's event);
    # the table says nobody is left at 10: the rest were censored before, not dead
    t = [0, 2, 2, 9, 9]
    s = [1, 1, 0.8, 0.8, 0.0]
    r = reconstruct(t, s, [0, 5, 10, 15], [10, 7, 0, 0])
    assert r.n == 10 and r.events == 3  # two at t = 2, the last patient at t = 9
    assert list(r.fit.at_risk_reconstructed) == [10, 7, 0]
    assert any("trimmed 1 trailing zero" in w for w in r.warnings)


def test_drop_to_zero_leaves_one_patient_for_the_final_event():
    # with no table after 0 the final drop to 0 would otherwise kill everyone still at risk
    t = [0, 1, 1, 20, 20]
    s = [1, 1, 0.9, 0.9, 0.0]
    r = reconstruct(t, s, [0, 10, 30], [100, 60, 0])
    assert r.events == 10 + 1
    assert int(r.event[r.time == 20].sum()) == 1


def test_after_the_last_table_time_the_trend_continues():
    # 100 → 80 → 60 over 0–20 with no events: everyone left is censored on the way to the end
    t = [0, 39.9]
    s = [1, 1]
    r = reconstruct(t, s, [0, 10, 20], [100, 80, 60])
    assert r.events == 0
    tail = r.time[r.time > 20]
    assert tail.size == 60 and np.sum(tail < 39.9) == 40  # 2 a month on the way, 20 at the end
    assert any("trend" in w for w in r.warnings)


def test_drop_clicked_with_its_top_right_of_its_bottom():
    # the top of the drop at 10 was clicked at 10.3, its bottom at 10.0
    t = [0, 10.3, 10.0, 20]
    s = [1, 1, 0.5, 0.5]
    r = reconstruct(t, s, [0, 5, 15], [100, 100, 50])
    assert r.events == 50 and np.all(r.time[r.event == 1] == 10.0)
    assert any("non-decreasing along the curve" in w for w in r.warnings)


def test_total_events_fix_the_last_part():
    t = [0, 5, 5, 30, 30, 40]
    s = [1, 1, 0.9, 0.9, 0.6, 0.6]
    base = reconstruct(t, s, [0, 10], [100, 90])
    for total in (12, 20, 25):
        r = reconstruct(t, s, [0, 10], [100, 90], total_events=total)
        assert r.events == total or any("total" in w for w in r.warnings)
    assert base.n == 100


@pytest.mark.parametrize("bad", [dict(total_events=-1), dict(total_events=101),
                                 dict(total_events=2.5), dict(total_events="x")])
def test_total_events_checked(bad):
    with pytest.raises(InputError, match="total"):
        reconstruct([0, 1], [1, 0.5], [0], [100], **bad)


def test_only_n_at_zero_is_allowed_with_a_warning():
    r = reconstruct([0, 1, 1, 3], [1, 1, 0.5, 0.5], [0], [40])
    assert r.n == 40 and r.events == 20
    assert any("less reliable" in w for w in r.warnings)


def test_increasing_and_mismatched_tables_warn():
    t, s = [0, 1, 1, 5, 5, 9], [1, 1, 0.9, 0.9, 0.8, 0.8]
    r = reconstruct(t, s, [0, 3, 6, 8], [100, 85, 90, 70])
    assert any("cannot increase" in w for w in r.warnings)
    r = reconstruct(t, s, [0, 3, 6], [100, 85])
    assert any("only the first 2" in w for w in r.warnings)


def test_deterministic_and_independent_of_click_order():
    rng = np.random.default_rng(0)
    t = np.sort(rng.uniform(0, 30, 200))
    s = np.sort(rng.uniform(0.3, 1, 200))[::-1]
    a = reconstruct(t, s, [0, 10, 20], [300, 200, 120])
    o = rng.permutation(200)
    b = reconstruct(t[o], s[o], [0, 10, 20], [300, 200, 120])
    assert np.array_equal(a.time, b.time) and np.array_equal(a.event, b.event)


@pytest.mark.parametrize("stray", [(0.5, 0.2), (30, 0.99)])
def test_stray_click_is_dropped_with_a_warning(stray):
    t = [0, 5, 10, 10, 20, 20, 30, 12, 14, 16, 25]
    s = [1, 1, 1, 0.8, 0.8, 0.6, 0.6, 0.8, 0.8, 0.8, 0.6]
    clean = reconstruct(t, s, [0, 10, 20], [100, 90, 70])
    r = reconstruct(t + [stray[0]], s + [stray[1]], [0, 10, 20], [100, 90, 70])
    assert any("stray" in w for w in r.warnings)
    assert np.array_equal(r.time, clean.time) and np.array_equal(r.event, clean.event)
    assert not any("stray" in w for w in clean.warnings)


def _corner_clicks(time, event):
    """Top and bottom of every drop of the KM curve of (time, event), tied deaths being one
    drop, and the end of the curve."""
    t = np.asarray(time, float)
    et, sa = km_steps(t, event)
    sb = np.concatenate(([1.0], sa[:-1]))
    pts = [(0.0, 1.0), *((x, y) for x, top, bottom in zip(et, sb, sa) for y in (top, bottom)),
           (t.max(), sa[-1] if sa.size else 1.0)]
    return np.array(pts).T


def test_small_arm_censoring_bunched_before_drops_is_read_from_their_heights():
    # 30 patients: deaths at 1 and 2, 16 censored together at 3-4.5 (a burst of entries reaching
    # the end of the study), then deaths at 6, 7, 8 among 12, 11, 10 (drops of 1/12, 1/11, 1/10);
    # 9 censored at 12-19. Spread evenly over 0-10 the censorings leave about 19 at risk at 6,
    # and the drop of 1/12 becomes two deaths; the heights show that only 12 were at risk.
    time = np.concatenate(([1, 2], np.linspace(3, 4.5, 16), [6, 7, 8], np.linspace(12, 19, 9)))
    event = np.concatenate(([1, 1], np.zeros(16), [1, 1, 1], np.zeros(9))).astype(int)
    t, s = _corner_clicks(time, event)
    rec = reconstruct(t, s, [0, 10, 20], [30, 9, 0])
    assert rec.events == 5
    ev = np.sort(rec.time[rec.event == 1])
    np.testing.assert_allclose(ev, [1, 2, 6, 7, 8])
    assert any("heights of the drops" in w for w in rec.warnings)
    # at risk just before each late death as in the truth, within one
    at_risk = [int((rec.time >= x).sum()) for x in (6, 7, 8)]
    assert all(abs(a - b) <= 1 for a, b in zip(at_risk, [12, 11, 10])), at_risk


def test_large_arm_events_unchanged_by_the_placement():
    # 400 patients: while many are at risk one death moves the curve by less than the click
    # noise and Guyot's even spread stands; only the tail (few at risk) may be placed otherwise
    rng = np.random.default_rng(5)
    tt = rng.exponential(20, 400)
    cc = rng.uniform(5, 30, 400)
    time, event = np.minimum(tt, cc), (tt <= cc).astype(int)
    t, s = _corner_clicks(time, event)
    T = np.arange(0, 31, 6.0)
    N = [(time >= x).sum() for x in T]
    rec = reconstruct(t, s, T, N)
    assert abs(rec.events - event.sum()) <= 0.02 * event.sum()
    np.testing.assert_array_equal(rec.fit.at_risk_reconstructed, N)


def test_mass_censoring_at_the_end_of_follow_up_keeps_the_tied_events():
    # as in R's survival::rats: times in whole weeks, follow-up ends at 104 weeks with 42 of 100
    # still followed, 3 tied deaths at 103; the table (every 20 weeks) has its 0 at 120. Spread
    # evenly up to the curve's end the censorings left few at risk at 102-103 and the last drops
    # lost deaths; the table's trend (and the drops' heights) say 40-odd were followed to the end
    ev_t = [67, 70, 72, 73, 80, 80, 86, 88, 89, 89, 92, 94, 96, 101, 102, 103, 103, 103]
    cz_t = list(np.repeat(np.arange(61, 102, 1.0), 1))[:40] + [104] * 42
    time = np.array(ev_t + cz_t, float)
    event = np.array([1] * len(ev_t) + [0] * len(cz_t))
    t, s = _corner_clicks(time, event)
    T = np.arange(0, 121, 20.0)
    N = [int((time >= x).sum()) for x in T]
    rec = reconstruct(t, s, T, N)
    assert rec.n == 100 and rec.events == 18
    assert int(rec.event[rec.time >= 101].sum()) == 5
    end = rec.time[(rec.event == 0) & (rec.time >= 104)]
    assert end.size >= 30 and end.max() < 104.5   # just after the curve's end, not at 120
    assert any("still followed at the curve's end" in w for w in rec.warnings)
    np.testing.assert_array_equal(rec.fit.at_risk_reconstructed, N)


def test_staggered_follow_up_ends_with_few_at_risk():
    # continuous times, uniform entry: at the curve's end only the last patients are left and
    # the final drop of 1/2 is one death among 2, not a tie among many (the even spread stands)
    rng = np.random.default_rng(11)
    tt = rng.exponential(15, 60)
    cc = rng.uniform(2, 24, 60)
    time, event = np.minimum(tt, cc), (tt <= cc).astype(int)
    t, s = _corner_clicks(time, event)
    T = np.arange(0, 31, 6.0)
    N = [int((time >= x).sum()) for x in T]
    rec = reconstruct(t, s, T, N)
    assert abs(rec.events - int(event.sum())) <= 1
    assert not any("still followed at the curve's end" in w for w in rec.warnings)
