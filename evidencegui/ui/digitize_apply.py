"""Reconstruct: the digitizing window's curves (calibrated to data) and numbers at risk through
core.reconstruct on a worker, then the arms into the chosen trial and endpoint of the project as
one undoable step — a new trial or endpoint, or the reconstructed patients given to existing arms
(whose modelled curves they replace)."""
from __future__ import annotations

import functools
from pathlib import Path

import numpy as np

from evidencegui.core import commands as cmd
from evidencegui.core.model import CONTROL, EXPERIMENTAL, Endpoint, Trial


def curve_data(cal, points) -> tuple[np.ndarray, np.ndarray]:
    """Pixels → (time, survival in [0, 1]) through the calibration (a percent axis included)."""
    t, s = cal.to_data([p[0] for p in points], [p[1] for p in points])
    return np.asarray(t, float), np.asarray(s, float)


def gather(win):
    """What Reconstruct needs, or a message saying what is missing: (curves, tables, rows, "")."""
    cal, why = win.calibration()
    if cal is None:
        return None, why
    rows = [r for r, c in enumerate(win.canvas.curves) if c.arm]
    if not rows:
        return None, ("No curve is ticked as an arm: Find curves, or New curve and click it, then "
                      "tick the arms in the Curves list.")
    short = [win.canvas.curves[r].name for r in rows if len(win.canvas.curves[r].points) < 2]
    if short:
        return None, ("Too few points on " + ", ".join(short) + ": click at least the start and "
                      "the corners of the steps, or untick the curve.")
    tables, problems = win.grid.tables()
    if problems:
        return None, "Numbers at risk: " + "; ".join(m for _r, _c, m in problems)
    names = [win.canvas.curves[r].name for r in rows]
    missing = [n for n in names if n not in tables]
    if missing:
        return None, ("Type the numbers at risk of " + ", ".join(missing) + " in the grid under the "
                      "figure (at least the number at time 0).")
    into = [win.curves.into(r) for r in rows]
    doubled = sorted({x for x in into if x is not None and into.count(x) > 1})
    if doubled:
        return None, ("Two curves go into the same arm (" + ", ".join(doubled) + "): choose a "
                      "different arm, or (new arm), for one of them.")
    curves = {}
    for r, n in zip(rows, names):
        curves[n] = curve_data(cal, win.canvas.curves[r].points)
    return (curves, {n: tables[n] for n in names}, rows), ""


def build_command(project, target, arms_in, unit: str, source: str, extra: dict):
    """One undoable Batch for ``arms_in`` = [(name, rec, role, into label or None)] into the
    chosen target, and a sentence saying what it does."""
    from evidencegui.ui.dialogs.digitized import reconstructed_arm, reconstructed_patients
    ti, ei = target.trial_index(), target.endpoint_index()
    new = [(name, rec, role) for name, rec, role, into in arms_in if into is None]
    if sum(role == CONTROL for _n, _r, role in new) > 1:      # one control: the last one
        last = max(i for i, (_n, _r, role) in enumerate(new) if role == CONTROL)
        new = [(n, r, CONTROL if i == last else EXPERIMENTAL if role == CONTROL else role)
               for i, (n, r, role) in enumerate(new)]
    forced = ""
    if ti is not None and ei is not None and project.trials[ti].endpoints[ei].control is not None:
        if any(role == CONTROL for _n, _r, role in new):
            forced = (f"; added as experimental: the endpoint's control is "
                      f"{project.trials[ti].endpoints[ei].control.label}")
        new = [(n, r, EXPERIMENTAL) for n, r, _role in new]    # the endpoint has its control
    arms = [reconstructed_arm(n, rec, n, role, unit, source, **extra) for n, rec, role in new]
    if ti is None:
        trial = Trial(target.new_trial_name(), [Endpoint(target.new_endpoint_name(), arms)])
        return (cmd.Batch([cmd.AddTrial(len(project.trials), trial, "digitize figure")],
                          f"digitize figure into {trial.name}"),
                f"new trial {trial.name!r}, endpoint {trial.endpoints[0].name}")
    trial = project.trials[ti]
    if ei is None:
        ep = Endpoint(target.new_endpoint_name(), arms)
        return (cmd.Batch([cmd.AddEndpoint(ti, len(trial.endpoints), ep, "digitize figure")],
                          f"digitize figure into {trial.name} / {ep.name}"),
                f"trial {trial.name!r}, new endpoint {ep.name}")
    ep = trial.endpoints[ei]
    cmds, said = [], []
    for name, rec, _role, into in arms_in:
        if into is None:
            continue
        ai = next(i for i, a in enumerate(ep.arms) if a.label == into)
        cmds.append(cmd.SetArmField(ti, ei, ai, "patients",
                                    reconstructed_patients(name, rec, unit, source, **extra)))
        said.append(f"{into} ← {name}")
    for k, arm in enumerate(arms):
        cmds.append(cmd.AddArm(ti, ei, len(ep.arms) + k, arm, "digitize figure"))
        said.append(f"{arm.label} added")
    return (cmd.Batch(cmds, f"digitize figure into {trial.name} / {ep.name}"),
            f"trial {trial.name!r}, endpoint {ep.name} ({'; '.join(said)}{forced})")


def apply_reconstruction(win) -> bool:
    from evidencegui.core.reconstruct import reconstruct_many
    from evidencegui.io.format import fmt_pct
    from evidencegui.ui.digitize_window import FAILED
    if win.source is None:
        win.say("Open a figure first (Ctrl+O), or paste one (Ctrl+V).", error=True)
        return False
    got, why = gather(win)
    if got is None:
        win.say(why, error=True)
        return False
    curves, tables, rows = got
    # censor marks read on a curve (a vector PDF's "+" or "|") place that arm's censorings
    marks = {win.canvas.curves[r].name: [float(x) for x in win.canvas.curves[r].censor_times]
             for r in rows if getattr(win.canvas.curves[r], "censor_times", None)}
    results = win.work("Reconstructing the patients",
                       functools.partial(reconstruct_many, censor_times=marks), curves, tables,
                       cancelled="Reconstruction cancelled; the project is unchanged.",
                       failed="Reconstruction failed: {e}")
    if results is FAILED:
        return False
    arms_in = [(win.canvas.curves[r].name, results[win.canvas.curves[r].name], win.curves.role(r),
                win.curves.into(r)) for r in rows]
    unit = win.cal.unit.currentText() or "months"
    source = Path(win.source.name).name if win.source.name else "pasted figure"
    extra = {"figure": source}
    if win.source.kind == "pdf":
        extra["page"] = int(win.source.page)
    command, where = build_command(win.main.project, win.target, arms_in, unit, source, extra)
    if not win.main.push(command):
        win.say("The arms could not be put into the project (see the main window's status bar).", error=True)
        return False
    lines = [f"Put into {where}. Undo with Ctrl+Z in the main window."]
    for name, rec, _role, _into in arms_in:
        lines.append(f"{name}: {rec.n} patients, {rec.events} events; distance of the reconstructed "
                     f"curve to the points: largest {fmt_pct(rec.fit.max_abs_distance, digits=1)}, "
                     f"RMS {fmt_pct(rec.fit.rms_distance, digits=1)}")
        lines += [f"  ⚠ {w}" for w in rec.warnings]
    # the target is now the endpoint just filled: Reconstruct again replaces its arms' patients
    win.refresh_target(win.main.t_index, win.main.e_index)
    win.say("\n".join(lines))
    return True
