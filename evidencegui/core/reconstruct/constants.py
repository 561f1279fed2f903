"""Thresholds of the reconstruction (each measured on simulated trials: benchmarks/RECONSTRUCT.md)."""
from __future__ import annotations

#: A risk table is infeasible when a count exceeds N_1·S(T⁻) by more than this many patients
#: plus FEASIBILITY_REL·N_1 (room for click noise).
FEASIBILITY_ABS = 2.0
FEASIBILITY_REL = 0.02
FEASIBILITY_X = 0.01
#: A click farther than this fraction of the time axis from both its neighbours along the curve
#: (which agree with each other) is a stray click and is dropped.
OUTLIER_X = 0.05
#: Survival at or below this (half a percent of the axis: click noise) counts as the curve
#: reaching 0 when the censoring is chosen.
ZERO_S = 0.005
#: Censorings spread over the whole interval between two table times (Guyot).
EVEN = (0.0, 1.0)
#: Other spreads tried where few are at risk: censorings in one part of the interval only (fractions of
#: it), as when patients entered in a burst and the end of the study censors them together.
WINDOWS = ((0.0, 0.25), (0.0, 0.5), (0.0, 0.75), (0.25, 1.0), (0.5, 1.0), (0.75, 1.0),
           (0.25, 0.5), (0.5, 0.75), (0.25, 0.75))
#: Click noise assumed when the spreads are compared (survival scale; the fit is counted in
#: units of its square), and the cost of each event beyond the first in one drop (about
#: 2·log(1/0.14): with continuous times a tie is unlikely).
FIT_SD = 0.003
EXTRA_EVENT_COST = 4.0
#: Clicks closer in time than this fraction of the axis belong to one drop (for the cost above).
TIE_X = 0.004
#: Where the curve ends above 0 before a table count of 0 (the end of follow-up), the patients
#: still followed then are taken from the trend of the table and censored at the curve's end only
#: if the clicks fit that better by more than this (units of FIT_SD², as EXTRA_EVENT_COST) than
#: the even spread to 0, and no click gets several events among fewer than 1/END_TIE at risk (a
#: big drop at the end is the last few patients' events, not a tie among many).
END_MARGIN = 4.0
END_TIE = 0.25
#: Largest number at risk at the start of an interval for which other spreads are tried.
SPREAD_MAX_N = 150
#: Largest time or count accepted (anything larger is a broken file, not a trial).
MAX_VALUE = 1e9
#: A risk-table interval is out of line when the curve and the two counts imply that more than
#: this fraction of its patients were censored in it, and over PLAUSIBLE_RATIO times the largest
#: fraction of the other intervals (a count typed with an extra digit: 4020 for 402).
PLAUSIBLE_FRAC = 0.5
PLAUSIBLE_RATIO = 3.0
