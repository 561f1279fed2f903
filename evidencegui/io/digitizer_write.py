"""Write digitized curves and numbers at risk in the files ``evidencegui reconstruct`` reads
(io/digitizer.py): WebPlotDigitizer's "Export All Data" CSV (line 1 the dataset names, each
followed by an empty cell; line 2 ``X,Y`` per dataset; then one X,Y column pair per dataset,
shorter ones padded with empty cells) and a numbers-at-risk CSV (``time`` and one column per
curve, named as the curves; a curve whose row ends early has empty cells after its last count).
Numbers at full precision; names neutralised against spreadsheet formulas (io/safe_text)."""
from __future__ import annotations

from itertools import zip_longest

from evidencegui.io.safe_text import write_csv_safe


def _names(curves) -> list[str]:
    names = [str(c.name) for c in curves]
    if len(set(names)) != len(names) or any(not n or n.lower() == "time" for n in names):
        raise ValueError(f"curve names must be distinct, non-empty and not 'time' (got {names})")
    return names


def write_wpd_csv(curves, path) -> None:
    """``curves``: objects with ``name`` and ``points`` [(time, survival 0–1)]."""
    if not curves:
        raise ValueError("no curves to write")
    names = _names(curves)
    header = [v for n in names for v in (n, "")]
    rows = [[v for _ in names for v in ("X", "Y")]]
    for pts in zip_longest(*[c.points for c in curves]):
        rows.append([v for p in pts for v in ((None, None) if p is None else (float(p[0]), float(p[1])))])
    write_csv_safe(path, header, rows)


def write_at_risk_csv(at_risk, path) -> None:
    """``at_risk``: ``times`` and ``counts`` {curve name: [count per time, may end early]}."""
    names = list(at_risk.counts)
    if not names:
        raise ValueError("no numbers at risk to write")
    if len(set(names)) != len(names) or any(n.lower() == "time" for n in names):
        raise ValueError(f"numbers-at-risk column names must be distinct and not 'time' (got {names})")
    rows = []
    for i, t in enumerate(at_risk.times):
        rows.append([float(t)] + [int(at_risk.counts[n][i]) if i < len(at_risk.counts[n]) else None for n in names])
    write_csv_safe(path, ["time"] + names, rows)
