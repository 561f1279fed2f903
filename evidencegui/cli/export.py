"""`evidencegui export`: the comparison workbook, the figure (PNG/SVG/PDF) and the slides of a
project file or a summary table, with the same writers and the same figure renderer as File →
Export in the window."""
from __future__ import annotations

import json
import os
import sys
from pathlib import Path

from evidencegui.core.errors import InputError

SUMMARY_SUFFIXES = (".csv", ".xlsx", ".xlsm", ".tsv", ".txt")
FIGURE_STYLES = ("screen", "presentation", "journal")


def add_arguments(parser) -> None:
    parser.add_argument("project", metavar="PROJECT",
                        help="project file (.evidence.json) or summary table (CSV/XLSX, one row per arm)")
    parser.add_argument("--xlsx", metavar="OUT.xlsx", help="write the comparison workbook")
    parser.add_argument("--png", metavar="OUT.png", help="write the figure as PNG")
    parser.add_argument("--svg", metavar="OUT.svg", help="write the figure as SVG")
    parser.add_argument("--pdf", metavar="OUT.pdf", help="write the figure as PDF (vector)")
    parser.add_argument("--pptx", metavar="OUT.pptx", help="write the slides")
    parser.add_argument("--style", choices=FIGURE_STYLES, default="presentation",
                        help="figure style of every output (default presentation; journal: "
                             "greyscale with line styles)")
    parser.add_argument("--dpi", type=int, default=300, help="resolution of the PNG (default 300)")
    parser.add_argument("--trial", metavar="NAME", help="trial of the PNG/SVG/PDF (default: the first)")
    parser.add_argument("--endpoint", metavar="NAME",
                        help="endpoint of the PNG/SVG/PDF (default: the trial's first)")
    parser.add_argument("--json", action="store_true",
                        help="print the files written as one JSON document")


def load_any(path: str | os.PathLike):
    """A Project from a project file or a summary table."""
    p = Path(path)
    if not p.exists():
        raise InputError("no such file", file=str(p))
    if p.is_dir():
        raise InputError("is a folder, not a project file or summary table", file=str(p))
    name = p.name.lower()
    if name.endswith(SUMMARY_SUFFIXES):
        from evidencegui.io.summary import read_summary
        return read_summary(p)
    if name.endswith(".json"):
        from evidencegui.io.project_file import load_project
        return load_project(p)
    raise InputError("expected a project file (.evidence.json) or a summary table (.csv, .xlsx)",
                     file=str(p))


def choose(project, trial: str | None, endpoint: str | None, file: str) -> tuple[str, str]:
    if not project.trials:
        raise InputError("the project has no trials to draw", file=file)
    if trial is None:
        t = project.trials[0]
    else:
        t = project.trial(trial)
        if t is None:
            raise InputError(f"no trial named {trial!r}; the project has "
                             + ", ".join(repr(x.name) for x in project.trials), file=file, field="trial")
    if not t.endpoints:
        raise InputError(f"trial {t.name!r} has no endpoints", file=file, field="endpoint")
    if endpoint is None:
        e = t.endpoints[0]
    else:
        e = t.endpoint(endpoint)
        if e is None:
            raise InputError(f"trial {t.name!r} has no endpoint {endpoint!r}; it has "
                             + ", ".join(repr(x.name) for x in t.endpoints), file=file, field="endpoint")
    return t.name, e.name


def _figure_module():
    if not os.environ.get("QT_QPA_PLATFORM") and not os.environ.get("DISPLAY") \
            and not os.environ.get("WAYLAND_DISPLAY") and sys.platform.startswith("linux"):
        os.environ["QT_QPA_PLATFORM"] = "offscreen"
    from evidencegui.ui import figure
    return figure


def render_all(project, dpi: int | None = None, view=None, slides: bool = False,
               include=None) -> dict[tuple[str, str], bytes]:
    """PNG of every trial/endpoint that has arms (ui.figure.render_endpoints); {} with a message
    when Qt is not available (the workbook and slides then go without figures)."""
    try:
        fig = _figure_module()
    except ImportError as e:
        sys.stderr.write(f"evidencegui export: no figure ({e}); writing without it\n")
        return {}
    out = fig.render_endpoints(project, dpi or fig.EMBED_DPI, view, slides, include)
    from evidencegui.ui.across_exports import forest_figures
    out.update(forest_figures(project, dpi or fig.EMBED_DPI))   # forest plots of endpoints shared by trials
    return out


def export(project, source: str | None = None, xlsx=None, png=None, svg=None, pptx=None,
           dpi: int = 300, trial: str | None = None, endpoint: str | None = None,
           input_files=(), pdf=None, style: str = "presentation", view=None) -> list[dict]:
    """Write what is asked; returns [{"kind", "path", "bytes"}] in the order written.

    ``view`` (a ui.figure.FigureView) is what the window shows; without it, ``style``."""
    from evidencegui.io.safe_text import atomic_write_bytes
    file = source or "project"
    written: list[dict] = []
    for opt, val in (("xlsx", xlsx), ("png", png), ("svg", svg), ("pdf", pdf), ("pptx", pptx)):
        if val is not None and not Path(val).parent.exists() and str(Path(val).parent):
            raise InputError(f"the folder {str(Path(val).parent)!r} does not exist", file=str(val),
                             field=f"--{opt}")
    if view is None and (png or svg or pdf or xlsx or pptx):
        try:
            view = _figure_module().FigureView(style=style)
        except ImportError:
            view = None
    if png or svg or pdf:
        key = choose(project, trial, endpoint, file)
        fig = _figure_module()
        for kind, path, render in (("png", png, lambda: fig.render_png(project, *key, dpi=dpi, view=view)),
                                   ("svg", svg, lambda: fig.render_svg(project, *key, view=view)),
                                   ("pdf", pdf, lambda: fig.render_pdf(project, *key, view=view))):
            if path:
                atomic_write_bytes(path, render())
                written.append({"kind": kind, "path": str(Path(path).resolve())})
    if xlsx:
        from evidencegui.io.xlsx_writer import write_workbook
        write_workbook(project, xlsx, render_all(project, view=view), input_files=input_files)
        written.append({"kind": "xlsx", "path": str(Path(xlsx).resolve())})
    if pptx:
        from evidencegui.io.pptx_writer import plan_slides, write_slides
        plans, skipped = plan_slides(project)
        for t, e, why in skipped:
            sys.stderr.write(f"evidencegui export: no slide for {t} {e}: {why}\n")
        write_slides(project, pptx, render_all(project, view=view, slides=True))
        written.append({"kind": "pptx", "path": str(Path(pptx).resolve())})
    for w in written:
        w["bytes"] = Path(w["path"]).stat().st_size
    _warn_invalid(project, file)
    return written


def _warn_invalid(project, file: str) -> None:
    """Typed values that fail validation were left out of the derived numbers (core.effects
    usable_arm): say so, so that a batch export cannot pass them on unnoticed (the files flag
    them too)."""
    from evidencegui.core.model import errors, validate_project

    for p in errors(validate_project(project)):
        sys.stderr.write(f"evidencegui export: {file}: invalid input left out of the derived "
                         f"numbers: {p}\n")


def run(args) -> int:
    if not (args.xlsx or args.png or args.svg or args.pdf or args.pptx):
        raise InputError("nothing to write: give --xlsx, --png, --svg, --pdf and/or --pptx",
                         file=args.project)
    if not 30 <= args.dpi <= 1200:
        raise InputError(f"--dpi must lie between 30 and 1200, not {args.dpi}", field="--dpi")
    project = load_any(args.project)
    written = export(project, source=args.project, xlsx=args.xlsx, png=args.png, svg=args.svg,
                     pptx=args.pptx, dpi=args.dpi, trial=args.trial, endpoint=args.endpoint,
                     input_files=[args.project], pdf=args.pdf, style=args.style)
    if args.json:
        sys.stdout.write(json.dumps({"files": written}) + "\n")
    else:
        for w in written:
            sys.stdout.write(f"wrote {w['path']} ({w['bytes']} bytes)\n")
    return 0
