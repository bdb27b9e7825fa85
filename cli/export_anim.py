"""`export-model --animate RUN.npz --out split.glb [--speed X]`: the station scene of station/export.py
plus a glTF animation of the run (formats/gltf_anim.py). Everything is checked before any work:
the output (name, folder writable), the speed, the trajectory file and its bodies."""
from __future__ import annotations

import argparse
import math

from formats import FormatError, write_text_atomically


def run_animate(args: argparse.Namespace) -> int:
    import trimesh
    from cli.simulate_cmd import _check_out
    from cli.station_cmd import joints_from_args
    from formats import gltf_anim
    from physics.trajectory import Trajectory
    from station import load_station
    from station.export import station_scene
    out = _check_out(args.out, ".glb", "--out")
    if not (math.isfinite(args.speed) and args.speed > 0):
        raise FormatError("--speed", str(args.speed), "must be a number > 0")
    traj = Trajectory.load_npz(args.animate)
    coms = gltf_anim.check_bodies(traj, args.animate)
    vehicles = False if args.no_vehicles else (args.vehicles if args.vehicles else None)
    model = gltf_anim.run_model(traj, load_station(args.station_file), joints_from_args(args.joint), vehicles)
    static = trimesh.exchange.gltf.export_glb(station_scene(model))
    data, n = gltf_anim.animated_glb(static, traj, coms, args.speed)
    write_text_atomically(out, data, "--out")
    print(f"wrote {out} (animation '{gltf_anim.ANIMATION_NAME}': {n} keyframes per segment, "
          f"{traj.t_s[n - 1]:.0f} s of run in {traj.t_s[n - 1] / args.speed:.1f} s at --speed {args.speed:g}; "
          f"poses relative to {gltf_anim.REFERENCE}'s LVLH frame)")
    return 0
