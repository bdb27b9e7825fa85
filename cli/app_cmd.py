"""`python main.py [SCENARIO]`: the desktop app (render/app.py)."""
from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022", help="scenario name or .toml path")


def run(args: argparse.Namespace) -> int:
    from render.app import NO_DISPLAY_MESSAGE, has_display, launch

    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    return launch(args.scenario)
