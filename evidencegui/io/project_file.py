"""Project files (``*.evidence.json``): readable JSON with a format version, migrated on load,
checked field by field, and saved atomically.

Format version 2 (current): ``{"format_version": 2, "project": {...}}`` where the project and
everything below it hold exactly the fields of the dataclasses in core.model, under the same
names (Project → trials → endpoints → arms → landmarks / patients / subgroups).

Format version 1: as version 2 without an arm's ``subgroups`` (subgroup results) and
``comparator`` (a control's equivalent comparator); both take their defaults (none, "").

Format version 0 (files written before versioning; no ``format_version`` key, or 0): the project
at the top level, and in it
- a trial's name under ``"trial"``, an endpoint's name under ``"endpoint"``;
- an endpoint's ESMO flags as a list of the names that are set: ``"flags": ["qol_improved"]``;
- an arm's median as a number or ``"NR"`` (not reached), its CI as ``"median_ci": [lo, hi]``
  (``null`` for a limit not reached), the HR's CI as ``"hr_ci": [lo, hi]``, p as ``"p"``,
  ``"stratified"`` for hr_stratified;
- landmarks as a mapping ``{"24": 0.72}`` (months → survival), without CIs;
- patient-level data as ``{"time": [...], "event": [...], "origin": ..., "source": ...}``.
``migrate`` turns version 0 into version 1; loading applies it.
"""
from __future__ import annotations

import dataclasses
import json
import math
import os
import types
import typing
from pathlib import Path
from typing import Any

from evidencegui.core import model
from evidencegui.core.errors import InputError
from evidencegui.core.model import Arm, Endpoint, Landmark, PatientData, Project, Trial
from evidencegui.io.atomic import atomic_write_text
from evidencegui.io.bounded import MAX_NAME_CHARS, MAX_TEXT_CHARS, check_file

FORMAT_VERSION = 2
KIND = "evidencegui-project"


# ----------------------------------------------------------------------------- to a dict

def _to_plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj) and not isinstance(obj, type):
        return {f.name: _to_plain(getattr(obj, f.name)) for f in dataclasses.fields(obj)}
    if isinstance(obj, (list, tuple)):
        return [_to_plain(x) for x in obj]
    if isinstance(obj, dict):
        return {str(k): _to_plain(v) for k, v in obj.items()}
    if isinstance(obj, float) and not math.isfinite(obj):
        raise ValueError(f"{obj!r} cannot be stored in a project file")
    if hasattr(obj, "tolist"):           # numpy scalars and arrays
        return _to_plain(obj.tolist())
    return obj


def project_to_dict(project: Project) -> dict:
    return {"format_version": FORMAT_VERSION, "kind": KIND, "project": _to_plain(project)}


# ----------------------------------------------------------------------------- from a dict

class _Bad(Exception):
    def __init__(self, path: str, message: str):
        self.path, self.message = path, message


_HINTS: dict[type, dict[str, Any]] = {}


def _hints(cls: type) -> dict[str, Any]:
    if cls not in _HINTS:
        _HINTS[cls] = typing.get_type_hints(cls, vars(model))
    return _HINTS[cls]


def _describe(tp: Any) -> str:
    if tp is float:
        return "a number"
    if tp is int:
        return "a whole number"
    if tp is str:
        return "text"
    if tp is bool:
        return "true or false"
    origin = typing.get_origin(tp)
    if origin is list:
        return "a list"
    if origin is dict or tp is dict:
        return "an object"
    if dataclasses.is_dataclass(tp):
        return "an object"
    return str(tp)


def _convert(value: Any, tp: Any, path: str) -> Any:
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        args = typing.get_args(tp)
        if value is None and type(None) in args:
            return None
        inner = [a for a in args if a is not type(None)]
        last: _Bad | None = None
        for a in inner:
            try:
                return _convert(value, a, path)
            except _Bad as e:
                last = e
        raise last or _Bad(path, "has the wrong type")
    if tp is Any:
        return value
    if tp is bool:
        if isinstance(value, bool):
            return value
        raise _Bad(path, f"must be true or false, not {json.dumps(value)[:40]}")
    if tp is float:
        if isinstance(value, (int, float)) and not isinstance(value, bool):
            return float(value)
        raise _Bad(path, f"must be a number, not {json.dumps(value)[:40]}")
    if tp is int:
        if isinstance(value, int) and not isinstance(value, bool):
            return value
        if isinstance(value, float) and value.is_integer():
            return int(value)
        raise _Bad(path, f"must be a whole number, not {json.dumps(value)[:40]}")
    if tp is str:
        if isinstance(value, str):
            limit = MAX_NAME_CHARS if path.endswith((".name", ".label")) else MAX_TEXT_CHARS
            if len(value) > limit:
                raise _Bad(path, f"is {len(value):,} characters long; at most {limit:,} are "
                           "accepted here")
            try:
                value.encode("utf-8")
            except UnicodeEncodeError as e:
                raise _Bad(path, f"holds an invalid character at position {e.start + 1} (a lone "
                           "UTF-16 surrogate: the text was cut in the middle of a character)"
                           ) from None
            return value
        raise _Bad(path, f"must be text, not {json.dumps(value)[:40]}")
    if origin is list:
        if not isinstance(value, list):
            raise _Bad(path, f"must be a list, not {json.dumps(value)[:40]}")
        (item,) = typing.get_args(tp) or (Any,)
        # fast path for patient data (a million numbers): one type check per item
        if item is float and all(type(v) is float or type(v) is int for v in value):
            return [float(v) for v in value]
        if item is int and all(type(v) is int for v in value):
            return list(value)
        return [_convert(v, item, f"{path}[{i}]") for i, v in enumerate(value)]
    if origin is dict or tp is dict:
        if not isinstance(value, dict):
            raise _Bad(path, f"must be an object, not {json.dumps(value)[:40]}")
        args = typing.get_args(tp)
        vt = args[1] if len(args) == 2 else Any
        return {k: _convert(v, vt, f"{path}.{k}") for k, v in value.items()}
    if dataclasses.is_dataclass(tp):
        return _build(tp, value, path)
    raise _Bad(path, f"cannot be read as {tp}")


def _build(cls: type, data: Any, path: str):
    if not isinstance(data, dict):
        raise _Bad(path, f"must be an object, not {json.dumps(data)[:40]}")
    hints = _hints(cls)
    fields = {f.name: f for f in dataclasses.fields(cls)}
    unknown = sorted(set(data) - set(fields))
    if unknown:
        raise _Bad(f"{path}.{unknown[0]}", "is not a known field (known: " + ", ".join(fields) + ")")
    kwargs = {}
    for name, f in fields.items():
        if name in data:
            kwargs[name] = _convert(data[name], hints[name], f"{path}.{name}")
        elif f.default is dataclasses.MISSING and f.default_factory is dataclasses.MISSING:
            raise _Bad(f"{path}.{name}", "is required but missing")
    return cls(**kwargs)


def project_from_dict(data: Any, file: str | None = None) -> Project:
    """A Project from a parsed project file of any supported format version."""
    try:
        data = migrate(data)
        if data.get("kind", KIND) != KIND:
            raise _Bad("kind", f"this is not an EvidenceGUI project (kind {data.get('kind')!r})")
        if "project" not in data:
            raise _Bad("project", "is required but missing")
        extra = sorted(set(data) - {"format_version", "kind", "project"})
        if extra:
            raise _Bad(extra[0], "is not a known field (known: format_version, kind, project)")
        project = _build(Project, data["project"], "project")
        _check_structure(project)
        return project
    except _Bad as e:
        raise InputError(e.message, file=file, field=e.path) from None


def _check_structure(project: Project) -> None:
    """Values no one types by hand and that every computation relies on: a bad one is an error
    naming its JSON path (patient data, the CI method), not a crash of a later export."""
    if project.ci_method not in model.CI_METHODS:
        raise _Bad("project.ci_method", f"must be one of {', '.join(model.CI_METHODS)}, not "
                   f"{json.dumps(project.ci_method)[:40]}")
    for i, t in enumerate(project.trials):
        for j, e in enumerate(t.endpoints):
            for k, a in enumerate(e.arms):
                p = a.patients
                if p is None:
                    continue
                path = f"project.trials[{i}].endpoints[{j}].arms[{k}].patients"
                if len(p.time) != len(p.event):
                    raise _Bad(path, f"'time' holds {len(p.time)} values but 'event' holds "
                               f"{len(p.event)}: one of each per patient")
                import numpy as np
                t = np.asarray(p.time, dtype=float)
                bad = np.flatnonzero(~np.isfinite(t) | (t < 0))
                if bad.size:
                    n = int(bad[0])
                    raise _Bad(f"{path}.time[{n}]", f"a time must be a number ≥ 0, not "
                               f"{p.time[n]!r}")
                e = np.asarray(p.event, dtype=np.int64)
                bad = np.flatnonzero((e != 0) & (e != 1))
                if bad.size:
                    n = int(bad[0])
                    raise _Bad(f"{path}.event[{n}]", f"an event must be 1 (event) or 0 "
                               f"(censored), not {p.event[n]!r}")


# ----------------------------------------------------------------------------- migration

def migrate(data: Any) -> dict:
    """Bring a parsed project file up to FORMAT_VERSION (returns a new dict)."""
    if not isinstance(data, dict):
        raise _Bad("(top level)", "a project file holds one JSON object")
    version = data.get("format_version", 0)
    if isinstance(version, bool) or not isinstance(version, int):
        raise _Bad("format_version", f"must be a whole number, not {json.dumps(version)[:40]}")
    if version > FORMAT_VERSION:
        raise _Bad("format_version", f"the file is format version {version}, made by a newer "
                   f"EvidenceGUI; this one reads versions up to {FORMAT_VERSION}")
    if version < 0:
        raise _Bad("format_version", f"unknown version {version}")
    if version == 0:
        data = _migrate_0_to_1(data)
    if data.get("format_version") == 1:
        data = dict(data, format_version=2)      # 1 → 2 only adds fields with defaults
    return data


def _take(d: dict, path: str, key: str, *types_: type, default: Any = None) -> Any:
    v = d.pop(key, default)
    if v is not default and types_ and not isinstance(v, types_):
        raise _Bad(f"{path}.{key}", "has the wrong type for a version-0 project file")
    return v


def _pair(v: Any, path: str) -> tuple[Any, Any]:
    if v is None:
        return None, None
    if not isinstance(v, list) or len(v) != 2:
        raise _Bad(path, "must be a list of two limits [lower, upper]")
    return v[0], v[1]


def _migrate_0_to_1(old: dict) -> dict:
    old = json.loads(json.dumps(old))  # a deep copy we may change
    old.pop("format_version", None)
    trials = []
    for i, t in enumerate(_take(old, "project", "trials", list, default=[]) or []):
        tp = f"project.trials[{i}]"
        if not isinstance(t, dict):
            raise _Bad(tp, "must be an object")
        if "trial" in t:
            t["name"] = t.pop("trial")
        eps = []
        for j, e in enumerate(t.pop("endpoints", []) or []):
            ep = f"{tp}.endpoints[{j}]"
            if not isinstance(e, dict):
                raise _Bad(ep, "must be an object")
            if "endpoint" in e:
                e["name"] = e.pop("endpoint")
            flags = _take(e, ep, "flags", list, default=None)
            if flags is not None:
                e["esmo_flags"] = {str(f): True for f in flags}
            arms = []
            for k, a in enumerate(e.pop("arms", []) or []):
                ap = f"{ep}.arms[{k}]"
                if not isinstance(a, dict):
                    raise _Bad(ap, "must be an object")
                if isinstance(a.get("median"), str):
                    if a["median"].strip().upper() in ("NR", "NOT REACHED"):
                        a["median"] = None
                        a["median_not_reached"] = True
                    else:
                        raise _Bad(f"{ap}.median", "must be a number or \"NR\"")
                if "median_ci" in a:
                    a["median_lower"], a["median_upper"] = _pair(a.pop("median_ci"), f"{ap}.median_ci")
                if "hr_ci" in a:
                    a["hr_lower"], a["hr_upper"] = _pair(a.pop("hr_ci"), f"{ap}.hr_ci")
                if "p" in a:
                    a["p_value"] = a.pop("p")
                if "stratified" in a:
                    a["hr_stratified"] = a.pop("stratified")
                lms = a.pop("landmarks", None)
                if isinstance(lms, dict):
                    out = []
                    for key, s in lms.items():
                        try:
                            tm = float(key)
                        except ValueError:
                            raise _Bad(f"{ap}.landmarks.{key}", "must be a time in months") from None
                        out.append({"time": tm, "survival": s})
                    a["landmarks"] = sorted(out, key=lambda x: x["time"])
                elif lms is not None:
                    a["landmarks"] = lms
                arms.append(a)
            e["arms"] = arms
            eps.append(e)
        t["endpoints"] = eps
        trials.append(t)
    proj = dict(old)
    proj["trials"] = trials
    return {"format_version": 1, "kind": KIND, "project": proj}


# ----------------------------------------------------------------------------- text and files

def _dumps(obj: Any, indent: int = 2, level: int = 0) -> str:
    """Indented JSON with lists of plain numbers on one line, so patient data stay compact."""
    pad, pad_in = " " * (indent * level), " " * (indent * (level + 1))
    if isinstance(obj, dict):
        if not obj:
            return "{}"
        items = [f"{pad_in}{json.dumps(k, ensure_ascii=False)}: {_dumps(v, indent, level + 1)}"
                 for k, v in obj.items()]
        return "{\n" + ",\n".join(items) + "\n" + pad + "}"
    if isinstance(obj, list):
        if not obj:
            return "[]"
        if all(not isinstance(x, (dict, list)) for x in obj):
            return "[" + ", ".join(json.dumps(x, ensure_ascii=False, allow_nan=False) for x in obj) + "]"
        return "[\n" + ",\n".join(pad_in + _dumps(x, indent, level + 1) for x in obj) + "\n" + pad + "]"
    return json.dumps(obj, ensure_ascii=False, allow_nan=False)


def dumps_project(project: Project) -> str:
    return _dumps(project_to_dict(project)) + "\n"


def save_project(project: Project, path: str | os.PathLike) -> None:
    """Write the project atomically (temporary file, fsync, rename)."""
    try:
        text = dumps_project(project)
    except ValueError as e:
        raise InputError(str(e), file=str(path)) from None
    atomic_write_text(path, text)


def _reject_constant(name: str):
    raise ValueError(f"{name} is not a number JSON allows")


def loads_project(text: str, file: str | None = None) -> Project:
    try:
        data = json.loads(text, parse_constant=_reject_constant)
    except json.JSONDecodeError as e:
        raise InputError(f"not valid JSON: {e.msg} (line {e.lineno}, column {e.colno})",
                         file=file, row=e.lineno) from None
    except (ValueError, RecursionError) as e:
        raise InputError(f"not valid JSON: {e}", file=file) from None
    return project_from_dict(data, file)


def load_project(path: str | os.PathLike) -> Project:
    p = Path(path)
    if p.exists() and not p.is_dir():
        check_file(p, what="project")
        from evidencegui.io.atomic import remove_stale_temps
        remove_stale_temps(p)
    try:
        raw = p.read_bytes()
    except IsADirectoryError:
        raise InputError("is a folder, not a project file", file=str(p)) from None
    except FileNotFoundError:
        raise InputError("no such file", file=str(p)) from None
    except OSError as e:
        raise InputError(f"cannot read the file ({e.strerror})", file=str(p)) from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as e:
        raise InputError(f"not a UTF-8 text file (byte {e.start})", file=str(p)) from None
    return loads_project(text, str(p))
