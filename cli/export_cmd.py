"""`python main.py export-model --out iss.glb`: the station as binary glTF (Blender shows it upright)."""
from __future__ import annotations

import argparse

from station import build_model, load_station
from station.export import write_glb
from cli.station_cmd import joints_from_args


def add_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--out", default="iss.glb", help="output .glb path (default: iss.glb)")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-vehicles", action="store_true", help="leave out every visiting vehicle")
    group.add_argument("--vehicles", nargs="+", metavar="ID", help="only these visiting vehicles")
    parser.add_argument("--station-file", default=None, help="station TOML (default: the 5 March 2022 ISS)")
    parser.add_argument("--joint", action="append", default=[], metavar="NAME=DEG",
                        help="joint angle, e.g. --joint sarj_stbd=90 (repeatable; default: the file's default_deg)")
    parser.add_argument("--animate", metavar="RUN.npz", help="add a glTF animation of the run: both segments' poses "
                        "relative to the US segment's LVLH frame at every sample (docs/formats.md)")
    parser.add_argument("--speed", type=float, default=60.0, help="with --animate: seconds of run per second of "
                        "animation (default 60)")


def run(args: argparse.Namespace) -> int:
    if getattr(args, "animate", None):
        from cli.export_anim import run_animate
        return run_animate(args)
    spec = load_station(args.station_file)
    vehicles = False if args.no_vehicles else (args.vehicles if args.vehicles else True)
    model = build_model(spec, vehicles=vehicles, articulation=joints_from_args(getattr(args, "joint", [])))
    path = write_glb(model, args.out)
    n = sum(len(s.element_ids) for s in model.segments.values())
    print(f"wrote {path} ({n} element nodes under {', '.join(model.segments)}; glTF +Y = SSACS zenith)")
    return 0
