"""`evidencegui digitize`: the Kaplan–Meier curves (and numbers at risk) of a published figure,
written for `evidencegui reconstruct`."""
from __future__ import annotations

import json
import sys

from evidencegui.core.errors import InputError


def add_arguments(p) -> None:
    p.add_argument("figure", metavar="FIGURE", help="a PDF (vector drawing read exactly) or a PNG/JPEG/TIFF image")
    p.add_argument("--out", required=True, metavar="CURVES.csv",
                   help="curves in WebPlotDigitizer's 'Export All Data' CSV layout")
    p.add_argument("--at-risk-out", metavar="NAR.csv", help="numbers at risk read from the figure")
    p.add_argument("--page", type=int, default=1, metavar="N", help="page of a PDF (default 1)")
    p.add_argument("--x-cal", metavar="PX:V,PX:V", help="two x-axis points: pixel column and axis value")
    p.add_argument("--y-cal", metavar="PY:V,PY:V", help="two y-axis points: pixel row (from the top) and axis value")
    p.add_argument("--json", action="store_true", help="print the curves, calibration and warnings as JSON")


def parse_cal(text: str, axis: str) -> tuple[tuple[float, float], tuple[float, float]]:
    """"331:0,1109:96" → ((331.0, 0.0), (1109.0, 96.0))."""
    import math
    parts = [p.strip() for p in str(text).split(",")]
    try:
        if len(parts) != 2:
            raise ValueError
        pts = []
        for p in parts:
            px, v = p.split(":")
            pts.append((float(px), float(v)))
        if not all(math.isfinite(x) for pt in pts for x in pt):
            raise ValueError
    except ValueError:
        raise InputError(f"--{axis}-cal {text!r}: expected two PIXEL:VALUE points separated by a comma, "
                         f"e.g. {'331:0,1109:96' if axis == 'x' else '609:0,81:1'}", field=f"{axis}-cal") from None
    return pts[0], pts[1]


def run(args) -> int:
    from evidencegui.core.digitize import AxisCalibration, DigitizeError, digitize
    from evidencegui.io.digitizer_write import write_at_risk_csv, write_wpd_csv
    from evidencegui.io.figure_sources import FigureError, open_figure

    if (args.x_cal is None) != (args.y_cal is None):
        raise InputError("give both --x-cal and --y-cal (two known points on each axis), or neither",
                         field="x-cal" if args.x_cal is None else "y-cal")
    try:
        cal = None
        if args.x_cal is not None:
            xc, yc = parse_cal(args.x_cal, "x"), parse_cal(args.y_cal, "y")
            cal = AxisCalibration(xc, yc, percent=max(yc[0][1], yc[1][1]) > 1.5)
        source = open_figure(args.figure, page=args.page)
        result = digitize(source, calibration=cal)
    except (FigureError, DigitizeError) as e:
        raise InputError(str(e) if str(args.figure) in str(e) else f"{args.figure}: {e}") from None
    if args.at_risk_out and (result.at_risk is None or not result.at_risk.counts):
        why = ("an image's table cannot be read (no text recognition); type it into a CSV (time and one "
               "column per curve)" if result.source == "raster" else
               "no rows of numbers aligned with the x ticks under the axis")
        raise InputError(f"no numbers-at-risk table found in the figure: {why}", file=args.figure)
    try:
        write_wpd_csv(result.curves, args.out)
        if args.at_risk_out:
            write_at_risk_csv(result.at_risk, args.at_risk_out)
    except ValueError as e:
        raise InputError(str(e), file=args.out) from None
    if args.json:
        doc = result.to_json()
        doc["out"] = str(args.out)
        sys.stdout.write(json.dumps(doc) + "\n")
    else:
        for w in result.warnings:
            sys.stderr.write(f"evidencegui digitize: warning: {w}\n")
        sys.stdout.write(f"{len(result.curves)} curve(s) from the {result.source} figure: "
                         f"{', '.join(c.name for c in result.curves)} → {args.out}\n")
    return 0
