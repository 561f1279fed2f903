"""core/curve_thin.py: the thinned line is drawn like the full one, checked by rasterising both by
brute force (every segment sampled every 1/8 pixel), not by the thinning's own reasoning."""
import numpy as np
import pytest

from evidencegui.core import curves as cc
from evidencegui.core.curve_thin import thin_marks, thin_polyline


def raster(px: np.ndarray, py: np.ndarray) -> set[tuple[int, int]]:
    """The pixels (column, row) a polyline in pixel coordinates passes through."""
    x0, y0, x1, y1 = px[:-1], py[:-1], px[1:], py[1:]
    length = np.hypot(x1 - x0, y1 - y0)
    k = np.ceil(length * 8).astype(int) + 2
    seg = np.repeat(np.arange(len(x0)), k)
    t = np.concatenate([np.linspace(0.0, 1.0, m) for m in k])
    xs = x0[seg] + (x1 - x0)[seg] * t
    ys = y0[seg] + (y1 - y0)[seg] * t
    cells = np.unique(np.stack([np.floor(xs), np.floor(ys)], axis=1).astype(np.int64), axis=0)
    return set(map(tuple, cells))


def chebyshev_gap(a: set, b: set) -> int:
    """The largest distance (in whole pixels, Chebyshev) from a pixel of one set to the other."""
    worst = 0
    for src, dst in ((a, b), (b, a)):
        arr = np.array(sorted(dst))
        for p in src - dst:
            d = np.max(np.abs(arr - np.array(p)), axis=1).min()
            worst = max(worst, int(d))
    return worst


def km_curve(n=20_000, seed=3):
    rng = np.random.default_rng(seed)
    t = np.round(rng.exponential(20, n), 2)
    c = rng.uniform(0, 80, n)
    time = np.minimum(t, c)
    event = t <= c
    order = np.argsort(time)
    time, event = time[order], event[order]
    at_risk = n - np.arange(n)
    surv = np.cumprod(np.where(event, 1 - 1 / at_risk, 1.0))
    keep = event.copy()
    return cc.km_steps(time[keep], surv[keep])


def to_px(x, y, width_px, height_px, x_range, y_range=(0.0, 1.0)):
    sx = width_px / (x_range[1] - x_range[0])
    sy = height_px / (y_range[1] - y_range[0])
    return (x - x_range[0]) * sx, (y_range[1] - y) * sy, sx


@pytest.mark.parametrize("oversample", [1, 4])
def test_km_step_curve_thinned_to_pixel_columns_rasterises_identically(oversample):
    x, y = km_curve()
    W, H = 300, 200
    xr = (0.0, float(x[-1]) * 1.02)
    px, py, sx = to_px(x, y, W, H, xr)
    # Columns aligned with the pixel grid: the same pixels, exactly.
    idx = thin_polyline(x, y, dx=1.0 / sx / oversample, x0=xr[0])
    assert len(idx) < 4 * W * oversample + 2 and len(idx) < len(x) / 3
    assert idx[0] == 0 and idx[-1] == len(x) - 1
    assert raster(px, py) == raster(px[idx], py[idx])


@pytest.mark.parametrize("seed", [0, 1, 2])
def test_any_polyline_thinned_off_grid_stays_within_a_pixel(seed):
    rng = np.random.default_rng(seed)
    n = 30_000
    x = np.sort(rng.uniform(0, 100, n))
    y = np.cumsum(rng.normal(0, 0.01, n)) + 0.5      # not monotone: min and max matter
    W, H = 250, 150
    xr, yr = (-3.0, 103.0), (float(y.min()) - 0.05, float(y.max()) + 0.05)
    px, py, sx = to_px(x, y, W, H, xr, yr)
    # A column of one pixel that does not line up with the raster (an offset of 0.37 px).
    idx = thin_polyline(x, y, dx=1.0 / sx, x0=xr[0] + 0.37 / sx)
    assert len(idx) < n / 5
    full, thin = raster(px, py), raster(px[idx], py[idx])
    assert chebyshev_gap(full, thin) <= 1
    # and the per-column vertical extent agrees to within one pixel
    for pts_a, pts_b in ((full, thin), (thin, full)):
        cols_b = {}
        for c, r in pts_b:
            lo, hi = cols_b.get(c, (r, r))
            cols_b[c] = (min(lo, r), max(hi, r))
        for c, r in pts_a:
            near = [cols_b[k] for k in (c - 1, c, c + 1) if k in cols_b]
            assert any(lo - 1 <= r <= hi + 1 for lo, hi in near)


def test_unsorted_x_and_gaps():
    x = np.array([0.0, 0.1, 0.05, 0.2, np.nan, 0.3, 0.31, 0.32, 0.33, 5.0])
    y = np.array([1.0, 0.9, 0.95, 0.8, 0.7, 0.6, 0.2, 0.9, 0.5, 0.1])
    idx = thin_polyline(x, y, dx=1.0)
    assert 4 in idx                                   # the gap is kept
    assert {0, 3, 5, 8, 9} <= set(idx)                # first/last of each run
    assert {6, 7} <= set(idx)                         # lowest and highest of the run after the gap
    assert list(thin_polyline(x, y, dx=0.0)) == list(range(len(x)))


def test_small_input_kept_whole():
    assert list(thin_polyline([0, 1, 2], [1, 1, 1], 10.0)) == [0, 1, 2]


def test_marks_one_per_cell_brute_force():
    rng = np.random.default_rng(5)
    x = np.sort(rng.uniform(0, 80, 50_000))
    y = np.exp(-x / 30)
    dx, dy = 80 / 1000, 1.0 / 600
    idx = thin_marks(x, y, dx, dy)
    cell = lambda i: (int(np.floor(x[i] / dx)), int(np.floor(y[i] / dy)))   # noqa: E731
    kept = [cell(i) for i in idx]
    assert len(set(kept)) == len(kept)                          # no two marks on one cell
    assert set(kept) == {cell(i) for i in range(len(x))}        # every occupied cell keeps a mark
    assert len(idx) < len(x) / 10


def test_marks_out_of_order_fall_back_to_a_full_check():
    x = np.array([0.1, 5.0, 0.2, 5.1, np.inf])
    y = np.array([0.5, 0.5, 0.5, 0.5, 0.5])
    idx = thin_marks(x, y, 1.0, 1.0)
    assert list(idx) == [0, 1, 4]


@pytest.mark.parametrize("rows", [False, True])
def test_step_curve_stays_a_step_curve_within_a_pixel(rows):
    from evidencegui.core.curve_thin import thin_steps
    x, y = km_curve(n=30_000, seed=4)
    W, H = 300, 200
    xr = (0.0, float(x[-1]) * 1.02)
    px, py, sx = to_px(x, y, W, H, xr)
    sy = H / 1.0
    tx, ty = thin_steps(x, y, dx=1.0 / sx, dy=(1.0 / sy) if rows else None)
    assert len(tx) < len(x) / 2
    # every segment horizontal or vertical, as the full curve's
    assert np.all((np.diff(tx) == 0) | (np.diff(ty) == 0))
    # starts and ends where the full curve does, never rises
    assert (tx[0], ty[0], tx[-1], ty[-1]) == (x[0], y[0], x[-1], y[-1])
    assert np.all(np.diff(ty) <= 0) and np.all(np.diff(tx) >= 0)
    qx, qy, _ = to_px(tx, ty, W, H, xr)
    assert chebyshev_gap(raster(px, py), raster(qx, qy)) <= 1
