"""`python main.py [SCENARIO]`: the desktop app. Until the renderer lands it prints the station."""
from __future__ import annotations

import argparse


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022", help="scenario name or .toml path")


def run(args: argparse.Namespace) -> int:
    from cli import station_cmd

    return station_cmd.run(station_cmd.default_args())
