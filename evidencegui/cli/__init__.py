"""The headless command line (contract: CLI.md). Each sub-command lives in its own module
exposing ``add_arguments(parser)`` and ``run(args) -> int``; this module only dispatches and
turns bad input into exit status 2 with one message on stderr."""
from __future__ import annotations

import argparse
import importlib
import sys

from evidencegui import __version__

SUBCOMMANDS = {
    "analyze": "Kaplan–Meier, RMST, log-rank and Cox HR on patient-level data",
    "report": "derived measures and ESMO-MCBS grades from a project or a summary table",
    "reconstruct": "patient-level data from a digitized Kaplan–Meier figure (Guyot 2012)",
    "export": "write the comparison workbook, figure and slides of a project",
    "pool": "pooled hazard ratios (common and random effects) of a table of studies",
    "digitize": "Kaplan–Meier curves and numbers at risk read from a published figure (PDF or image)",
}


class _Parser(argparse.ArgumentParser):
    def error(self, message: str):  # argparse exits 2 too; keep the message to one line
        self.print_usage(sys.stderr)
        sys.stderr.write(f"{self.prog}: error: {message}\n")
        raise SystemExit(2)


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser; with ``only``, just that sub-command's module is imported, so one missing or
    broken sub-command never takes the others down."""
    parser = _Parser(prog="evidencegui", description="EvidenceGUI command line")
    parser.add_argument("--version", action="version", version=f"evidencegui {__version__}")
    sub = parser.add_subparsers(dest="command", required=True, parser_class=_Parser)
    for name, helptext in SUBCOMMANDS.items():
        p = sub.add_parser(name, help=helptext, description=helptext)
        if only is None or name == only:
            module = importlib.import_module(f"evidencegui.cli.{name}")
            module.add_arguments(p)
            p.set_defaults(_run=module.run)
    return parser


def main(argv: list[str] | None = None) -> int:
    from evidencegui.core.errors import InputError

    argv = sys.argv[1:] if argv is None else list(argv)
    parser = build_parser(argv[0] if argv and argv[0] in SUBCOMMANDS else "")
    try:
        args = parser.parse_args(argv)
    except SystemExit as e:
        return int(e.code or 0)
    try:
        return int(args._run(args) or 0)
    except InputError as e:
        sys.stderr.write(f"evidencegui {args.command}: {e}\n")
        return 2
    except (FileNotFoundError, IsADirectoryError, PermissionError) as e:
        sys.stderr.write(f"evidencegui {args.command}: {e.filename}: cannot read the file ({e.strerror})\n")
        return 2
    except KeyboardInterrupt:
        return 130
    except Exception as e:  # never a traceback for the user; the message still says what happened
        if "--debug" in argv or __import__("os").environ.get("EVIDENCEGUI_DEBUG"):
            raise
        sys.stderr.write(f"evidencegui {args.command}: internal error: {type(e).__name__}: {e}\n")
        return 1
