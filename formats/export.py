"""`simulate --oem/--aem/--czml`: write the run's field-standard files (paths checked before the run)."""
from __future__ import annotations

from pathlib import Path

from formats import write_text_atomically
from physics.trajmeta import trajectory_meta


def station_models(sc, traj) -> dict:
    """{segment: GLB bytes} for CZML when the run is the station's (ROS and USOS), else {}."""
    from formats.czml import segment_glb
    from formats.gltf_anim import SEGMENTS, run_model
    from station import load_station
    coms = {n: trajectory_meta(traj).body(n).com_ssacs_m for n in SEGMENTS}
    if sc.station is None or any(c is None for c in coms.values()):
        return {}
    model = run_model(traj, load_station(sc.station["file"] or None))
    return {n: segment_glb(model, n, list(coms[n])) for n in SEGMENTS}


def write_formats(sc, traj, outs: dict) -> list[tuple[str, Path]]:
    """Write each asked-for file ({'--oem': path, '--aem': path, '--czml': path}); [(option, path)]."""
    from formats import ccsds, czml
    makers = {"--oem": lambda: ccsds.oem_text(traj), "--aem": lambda: ccsds.aem_text(traj),
              "--czml": lambda: czml.czml_text(traj, station_models(sc, traj))}
    done = []
    for option, path in outs.items():
        done.append((option, write_text_atomically(path, makers[option](), option)))
    return done
