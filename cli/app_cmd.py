"""`python main.py [SCENARIO]`: the desktop app (render/app.py)."""
from __future__ import annotations

import argparse
import sys


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("scenario", nargs="?", default="clip-2022", help="scenario name or .toml path")
    parser.add_argument("--render-scale", type=float, default=None, metavar="S",
                        help="3D resolution as a fraction of the window (default 1; e.g. 0.6 on a slow software "
                             "renderer); the text always stays sharp")
    parser.add_argument("--ensemble", default=None, metavar="ENS.npz",
                        help="draw a separation ensemble's relative tracks as a faint cloud around the trail "
                             "(`python main.py ensemble ... --out ENS.npz`)")


def run(args: argparse.Namespace) -> int:
    from render.app import NO_DISPLAY_MESSAGE, has_display, launch

    if not has_display():
        print(NO_DISPLAY_MESSAGE, file=sys.stderr)
        return 2
    scale = args.render_scale
    if scale is not None and not 0.1 <= scale <= 1.0:
        print("error: app: --render-scale: must be between 0.1 and 1", file=sys.stderr)
        return 2
    ensemble = getattr(args, "ensemble", None)
    if ensemble is not None:             # checked before any window (one line, exit 2)
        from render.ensemble_cloud import load_cloud
        load_cloud(ensemble)
    return launch(args.scenario, scale, ensemble)
