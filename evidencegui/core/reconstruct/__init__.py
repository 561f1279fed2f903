"""Patient-level data rebuilt from a digitized Kaplan–Meier curve and its numbers at risk.

The method is the one of Guyot, Ades, Ouwens & Welton (BMC Med Res Methodol 2012;12:9),
written here from its published description (see RECONSTRUCTION.md):

1. The clicks are cleaned, and every change is reported as a warning a user can read.
2. Between two times of the risk table, censorings are spread evenly over the interval and the
   events at each click follow from the drop of the curve relative to the reconstructed
   Kaplan–Meier value at the last click that had an event. The number censored is adjusted until
   the reconstructed number at risk at the end of the interval equals the published one.
3. After the last time of the table, censoring follows the trend of the numbers at risk, or is
   set so that the events add up to a given total.

Details that differ from the original description, each measured on simulated trials
(benchmarks/accuracy_reconstruct.py, figures in benchmarks/RECONSTRUCT.md):

- the clicks are ordered along the curve (time plus drop), so a drop whose top was clicked right
  of its bottom keeps its top (moved back to the bottom's time); stray clicks far out of time
  order are dropped;
- the curve gets an extra point just before every time of the risk table carrying S(T⁻), so a
  drop up to T is counted in the interval that ends there (read along the straddling segment for
  readers who click both corners of the drops, at the step for one click per step);
- censorings between a table time and the interval's first click come before its events; when
  rounding leaves one or two patients too many at the end of an interval they are censored just
  before its end instead of carrying the error into the next interval;
- where few are at risk (at most SPREAD_MAX_N at the start of an interval, and one death moves
  the curve by more than the click noise) the censorings need not be spread evenly: a drop of
  1/n shows that n were at risk there, so the numbers censored between the drops are chosen
  (dynamic programming over the number at risk at each drop, and spreads over part of the
  interval) to fit the drops' heights with one death per drop where possible, against a cost for
  departing from the even spread; the even spread stands unless another scores better;
- where the curve ends above 0 before the table's 0 (the end of follow-up: many censored at
  once, as with a fixed study end) those still followed there follow the trend of the table if
  the drops' heights fit that better than the even spread to 0; many censored at the curve's
  end are placed just after it (the clicks' precision), so the other arm's events clicked at
  the same time keep them at risk;
- the first zero of the table closes the last interval; where the curve reaches 0 the censoring
  leaves one patient for the final drop; after the last table time the number at risk follows
  the trend of the table's last two columns (Guyot's average censoring rate when the table has
  only the count at 0).

Stages (one module each): ``clean`` (clicks and table cleaned and checked), ``intervals`` (Guyot's
walk over one interval), ``censoring`` (uneven spreads where few are at risk), ``pipeline``
(the stages in order, the part after the table, the patients assembled), ``result`` (what is
returned, and checks of it against the figure), ``constants`` (the thresholds).

numpy only; no Qt; deterministic.
"""
from evidencegui.core.reconstruct.clean import clean_at_risk, clean_curve
from evidencegui.core.reconstruct.constants import (END_MARGIN, END_TIE, EVEN, EXTRA_EVENT_COST,
                                                    FEASIBILITY_ABS, FEASIBILITY_REL,
                                                    FEASIBILITY_X, FIT_SD, MAX_VALUE, OUTLIER_X,
                                                    PLAUSIBLE_FRAC, PLAUSIBLE_RATIO,
                                                    SPREAD_MAX_N, TIE_X, WINDOWS, ZERO_S)
from evidencegui.core.reconstruct.pipeline import reconstruct, reconstruct_many
from evidencegui.core.reconstruct.result import (Fit, Reconstruction, km_evaluate, km_steps,
                                                 level_crossing)

__all__ = ["reconstruct", "reconstruct_many", "Reconstruction", "Fit", "km_steps", "km_evaluate",
           "level_crossing", "clean_curve", "clean_at_risk", "END_MARGIN", "END_TIE", "EVEN",
           "EXTRA_EVENT_COST", "FEASIBILITY_ABS", "FEASIBILITY_REL", "FEASIBILITY_X", "FIT_SD",
           "MAX_VALUE", "OUTLIER_X", "PLAUSIBLE_FRAC", "PLAUSIBLE_RATIO", "SPREAD_MAX_N", "TIE_X",
           "WINDOWS", "ZERO_S"]
