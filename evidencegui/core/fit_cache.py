"""Each arm's fits computed once per change of its data, and shared by the plot, the comparison
and the panel (an edit used to fit every arm three times).

Keyed on the identity of the arm's PatientData and of its time/event lists (an import or an undo
replaces the object, so a change of data is a new key); entries go when the data are freed.
``invalidate`` covers anyone who changes the lists in place.
"""
from __future__ import annotations

import weakref
from typing import Any, Callable

from evidencegui.core import survival as sv

_entries: dict[tuple, tuple[tuple, Any]] = {}
_refs: dict[int, weakref.ref] = {}


def _fingerprint(p) -> tuple:
    return (id(p.time), id(p.event), len(p.time), len(p.event), getattr(p, "version", 0))


def _forget(pid: int) -> None:
    _refs.pop(pid, None)
    for k in [k for k in _entries if pid in k[1]]:
        del _entries[k]


def _cached(kind: str, owners: tuple, params: tuple, compute: Callable[[], Any]) -> Any:
    ids = tuple(id(p) for p in owners)
    key = (kind, ids, params)
    fp = tuple(_fingerprint(p) for p in owners)
    hit = _entries.get(key)
    if hit is not None and hit[0] == fp and all(_refs.get(i) is not None and _refs[i]() is p
                                                for i, p in zip(ids, owners)):
        return hit[1]
    value = compute()
    for i, p in zip(ids, owners):
        ref = _refs.get(i)
        if ref is None or ref() is not p:
            _forget(i)
            _refs[i] = weakref.ref(p, lambda _r, i=i: _forget(i))
    _entries[key] = (fp, value)
    return value


def derived(kind: str, owners: tuple, params: tuple, compute: Callable[[], Any]) -> Any:
    """Any value computed from the PatientData in ``owners`` (and hashable ``params``), computed
    once per change of their data, like the fits above. The value is shared: never change it."""
    return _cached(kind, tuple(owners), tuple(params), compute)


def invalidate(patients) -> None:
    """Forget the fits of ``patients`` (after changing its lists in place)."""
    _forget(id(patients))


def kaplan_meier_of(patients, ci_method: str = "log-log", conf_level: float = 0.95):
    """core.survival.kaplan_meier of an arm's PatientData, fitted once per change of the data."""
    def fit():
        import numpy as np
        return sv.kaplan_meier(np.asarray(patients.time, dtype=float),
                               np.asarray(patients.event, dtype=int),
                               ci_method=ci_method, conf_level=conf_level)
    return _cached("km", (patients,), (ci_method, conf_level), fit)


def logrank_cox_of(experimental, control, conf_level: float = 0.95):
    """core.survival.logrank_cox of two arms' PatientData (experimental against control):
    (log-rank test, Cox HR), computed once per change of either arm's data."""
    def fit():
        import numpy as np
        t = np.concatenate([np.asarray(experimental.time, float), np.asarray(control.time, float)])
        e = np.concatenate([np.asarray(experimental.event, int), np.asarray(control.event, int)])
        mask = np.concatenate([np.ones(len(experimental.time), bool), np.zeros(len(control.time), bool)])
        return sv.logrank_cox(t, e, mask, conf_level=conf_level)
    return _cached("pair", (experimental, control), (conf_level,), fit)


def values_problem(patients) -> str | None:
    """What is wrong with the values of an arm's patient-level data (None: nothing): the checks
    of core.model, run once per change of the data (each keystroke validated every arm's
    100,000 times again in a Python loop)."""
    return _cached("check", (patients,), (), lambda: _check(patients))


def _check(p) -> str | None:
    from evidencegui.core.model import _events_ok, _times_ok
    if len(p.time) != len(p.event):
        return "time and event lists differ in length"
    if not _times_ok(p.time):
        return "patient times must be numbers ≥ 0"
    if not _events_ok(p.event):
        return "events must be 0 (censored) or 1 (event)"
    return None
