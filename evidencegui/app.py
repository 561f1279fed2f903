"""Entry point: a sub-command goes to the headless command line, anything else opens the window."""
from __future__ import annotations

import sys


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else list(argv)
    from evidencegui.cli import SUBCOMMANDS

    if argv and argv[0] in SUBCOMMANDS:
        from evidencegui.cli import main as cli_main

        return cli_main(argv)
    import argparse

    from evidencegui import __version__

    parser = argparse.ArgumentParser(prog="evidencegui", description="EvidenceGUI: compare trial arms.",
                                     epilog="Sub-commands: " + ", ".join(SUBCOMMANDS) + " (see 'evidencegui SUB --help').")
    parser.add_argument("--version", action="version", version=f"evidencegui {__version__}")
    parser.add_argument("--smoke-test", action="store_true",
                        help="open the window with the CLEOPATRA example, draw it and exit")
    parser.add_argument("target", nargs="*", help="'open FILE' or FILE: a project or data file to open")
    args = parser.parse_args(argv)
    target = list(args.target)
    if target and target[0] == "open":
        target = target[1:]
        if not target:
            parser.error("open needs a FILE")
    if len(target) > 1:
        parser.error("give at most one FILE")
    from evidencegui.ui import pyside_guard

    pyside_guard.apply()          # before any Qt work: see ui/pyside_guard.py (PySide6 6.12 on 3.11)
    from evidencegui.ui.launch import run_gui

    return run_gui(target[0] if target else None, smoke_test=args.smoke_test)
