"""What the survival plot draws from, as a comparable value: the window redraws only when it
changes (a plot of 10 arms × 100,000 patients takes about a second to rebuild).

Arms drawn from patient-level data depend on the data (by identity: an import or an undo replaces
the object; see core/fit_cache.py), their label, position and reported landmarks; arms drawn from
reported numbers on every reported value. The HR, its CI and p of each arm (the plot's note) are
kept apart: when only they change, only the note is redrawn. The view settings and the window's horizon join in.
"""
from __future__ import annotations

from dataclasses import astuple

from evidencegui.core.fit_cache import _fingerprint


def _arm(arm) -> tuple:
    lms = tuple(astuple(lm) for lm in arm.landmarks)
    p = arm.patients
    if p is not None and len(p.time) > 0:
        return (arm.label, arm.role, id(p), _fingerprint(p), lms)
    return (arm.label, arm.role, lms, arm.n, arm.events, arm.median, arm.median_lower,
            arm.median_upper, arm.median_not_reached, None if p is None else id(p))


def _note(arm) -> tuple:
    """What the plot's HR and p note (plot_legend._annotation_lines) and, for an arm rebuilt from
    a published figure, the legend's 'reported' median (survival_plot._legend_entry) read of an
    arm. The median of other arms drawn from patients is not shown: typing it redraws nothing."""
    note = (arm.hr, arm.hr_lower, arm.hr_upper, arm.p_value, arm.p_value_upper_bound)
    if arm.patients is not None and getattr(arm.patients, "origin", "") == "reconstructed":
        note += (arm.median, arm.median_not_reached)
    return note


def plot_signature(window) -> tuple[tuple, tuple]:
    """(what the curves are drawn from, what the HR and p note reads): when only the second
    changes, the window updates the note and leaves the curves alone."""
    project = window.project
    s = window.settings
    view = (s.time_unit, s.style, s.show_ci, getattr(s, "show_hr", None), getattr(s, "show_median", None),
            project.ci_method, project.time_unit,
            getattr(window, "model_horizon", None), id(project))
    if window.overlay is not None:
        items = window._overlay_arms()
        return ("overlay", view, tuple((t.name, e.name, _arm(a)) for t, e, a in items)), ()
    try:
        trial = project.trials[window.t_index]
        ep = trial.endpoints[window.e_index]
    except (IndexError, TypeError):
        return ("none", view, window.t_index, window.e_index), ()
    return (("endpoint", view, trial.name, ep.name, tuple(_arm(a) for a in ep.arms)),
            tuple(_note(a) for a in ep.arms))
