"""Turn a validated Scenario into physics inputs (bodies, latches, events, state0, forces)."""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from scenario import shapes
from scenario.environment import run_environment
from scenario.errors import ScenarioError
from scenario.initial import initial_state, orbit_state, unit_q
from scenario.loader import SEGMENTS, Scenario
from physics import model as pm


@dataclass(frozen=True)
class PhysicsInputs:
    """Everything physics.simulate needs, plus metadata for the trajectory."""
    bodies: tuple
    latches: tuple
    state0: object
    epoch: object
    t_end_s: float
    dt_out_s: float
    events: tuple
    attitude: tuple
    forces: object
    reentry_alt_m: float
    metadata: dict
    max_step_s: float = 30.0

    def model(self):
        """The typed physics.Model of these inputs."""
        return pm.Model(self.bodies, self.latches, self.forces, self.attitude)

    def timeline(self, t_end_s: float | None = None):
        """physics.Timeline, optionally ending earlier (the app's partial runs)."""
        from physics.timeline import Timeline
        return Timeline(self.epoch, self.t_end_s if t_end_s is None else t_end_s, self.dt_out_s, self.events)

    def options(self, engine: str = "auto", progress=None):
        from physics.timeline import Options
        return Options(reentry_alt_m=self.reentry_alt_m, max_step_s=self.max_step_s, engine=engine,
                       metadata=self.metadata, progress=progress)


def build(sc: Scenario) -> PhysicsInputs:
    """Scenario -> PhysicsInputs. Raises ScenarioError naming the scenario file and key."""
    epoch = make_epoch(sc)
    orbit = orbit_state(sc, epoch)          # first: bad TLEs fail before the station is built
    bodies, latches, meta = [], [], {}
    station = None
    if sc.station is not None:
        station = station_bodies(sc)
        bodies += station["bodies"]
        latches.append(station["latch"])
        meta.update(station["meta"])
    for i, b in enumerate(sc.bodies):
        body, info = custom_body(b, sc.source, f"body[{i}]")
        bodies.append(body)
        meta[b["name"]] = info
    latches += [custom_latch(la) for la in sc.latches]
    state0, orbit_desc = initial_state(sc, orbit, bodies, latches)
    events = tuple(release_event(sc)) + tuple(burn_events(sc, bodies, meta))
    release = release_info(sc, latches, events)
    return PhysicsInputs(
        bodies=tuple(bodies), latches=tuple(latches), state0=state0, epoch=epoch,
        t_end_s=sc.time["duration_s"], dt_out_s=sc.time["output_interval_s"], events=events,
        attitude=tuple(attitude_modes(sc)), forces=force_model(sc),
        reentry_alt_m=sc.forces["reentry_altitude_km"] * 1e3, max_step_s=max_step(sc, state0, bodies),
        metadata={"bodies": meta, "scenario": scenario_meta(sc, orbit_desc),
                  "release": release})


MAX_STORED_TOML = 64 * 1024     # a scenario's text is kept in its outputs up to this size


def scenario_meta(sc: Scenario, orbit_desc: str = "") -> dict:
    """What an output stores about its scenario: its path and SHA-256, and its text only when small
    (bundled scenarios are ~3 KiB; a 50 MB file is not copied into every run)."""
    import hashlib
    data = sc.text.encode("utf-8")
    meta = {"name": sc.name, "title": sc.title, "source": sc.source, "orbit": orbit_desc,
            "sha256": hashlib.sha256(data).hexdigest(), "bytes": len(data)}
    if len(data) <= MAX_STORED_TOML:
        meta["toml"] = sc.text
    return meta


def max_step(sc: Scenario, state0, bodies) -> float:
    """The integrator's largest step: the scenario's, and at most 0.025 rad of the fastest initial spin.
    physics sizes steps for orbits (30 s); a body spinning at 0.5 rad/s needs far shorter ones. Measured
    on torque-free-dzhanibekov: 0.1 rad per step drifts the kinetic energy by 3.5e-7 over a flip,
    0.025 rad by 5e-15 (round-off). A body holding LVLH (`[attitude]` lvlh_hold) does not count: its
    attitude follows LVLH kinematically, it is not integrated (the engine's own turn limit skips it too)."""
    from scenario.plausible import spin_step_s, step_spin
    spins = {b.name: float(np.linalg.norm(w)) for b, w in zip(bodies, state0.omega_body_radps)}
    return spin_step_s(sc.time["max_step_s"], step_spin(sc, spins))


def make_epoch(sc: Scenario):
    from physics.timebase import Epoch
    try:
        return Epoch.from_utc(sc.time["epoch_utc"])
    except ValueError as exc:   # PhysicsInputError: bad string or outside the ephemeris
        raise ScenarioError(sc.source, "time.epoch_utc", _strip_source(str(exc))) from None


def _strip_source(message: str) -> str:
    """'physics: epoch: problem' -> 'problem' (our message names the file and key itself)."""
    parts = message.split(": ", 2)
    return parts[-1] if len(parts) == 3 else message


def station_bodies(sc: Scenario) -> dict:
    """ROS and USOS rigid bodies from the station model; body frame = SSACS axes at the segment CoM."""
    from station import build_model, load_station
    st = sc.station
    try:
        spec = load_station(st["file"] or None)
        model = build_model(spec, vehicles=st["vehicles"] if isinstance(st["vehicles"], bool) else st["vehicles"])
    except ValueError as exc:
        if getattr(exc, "is_user_error", False):
            key = "station.vehicles" if "vehicle" in str(exc).lower() else "station.file"
            raise ScenarioError(sc.source, key, str(exc)) from None
        raise
    bodies, meta, coms = [], {}, {}
    for name in SEGMENTS:
        seg = model.segments[name]
        com = np.asarray(seg.mass.com_m, float)
        coms[name] = com
        bodies.append(pm.RigidBody(name, float(seg.mass.mass_kg), np.asarray(seg.mass.inertia_kgm2, float),
                                   drag=segment_drag(seg, com, sc.forces["cd"])))
        meta[name] = {"mass_kg": float(seg.mass.mass_kg),
                      "inertia_kgm2": np.asarray(seg.mass.inertia_kgm2, float).tolist(),
                      "com_ssacs_m": com.tolist(), "segment": name,
                      "element_ids": list(seg.element_ids)}
    iface = model.interface
    R = np.asarray(iface.R_ssacs_from_port, float)          # body axes = SSACS axes
    p = np.asarray(iface.position_m, float)
    latch = pm.Latch("interface", "ROS", pm.PortFrame(p - coms["ROS"], R),
                     "USOS", pm.PortFrame(p - coms["USOS"], R))
    return {"bodies": bodies, "latch": latch, "meta": meta, "coms": coms, "model": model}


def segment_drag(seg, com: np.ndarray, cd: float):
    directions, area_m2, cop_m = seg.area_table()
    return pm.DragShape(cd, np.asarray(directions, float), np.asarray(area_m2, float),
                        np.asarray(cop_m, float) - com)


def custom_body(b: dict, source: str = "<scenario>", key: str = "body"):
    """A [[body]] table -> (RigidBody, metadata)."""
    m = b["mass_kg"]
    dirs = shapes.sphere_directions(64)
    area = None
    if b["box_m"] is not None:
        inertia, area = shapes.box_inertia(m, b["box_m"]), shapes.box_areas(b["box_m"], dirs)
    elif b["cylinder_radius_m"] is not None:
        r, L = b["cylinder_radius_m"], b["cylinder_length_m"]
        inertia, area = shapes.cylinder_inertia(m, r, L), shapes.cylinder_areas(r, L, dirs)
    if b["inertia_kgm2"] is not None:
        inertia = np.array(b["inertia_kgm2"], float)
    if b["drag_area_m2"] is not None:
        area = np.full(len(dirs), b["drag_area_m2"])
    drag = None if area is None else pm.DragShape(b["cd"], dirs, area, np.zeros_like(dirs))
    try:
        body = pm.RigidBody(b["name"], m, inertia, drag=drag, srp_area_m2=b["srp_area_m2"], cr=b["cr"])
    except ValueError as exc:
        raise ScenarioError(source, f"{key}.inertia_kgm2", _strip_source(str(exc))) from None
    info = {"mass_kg": m, "inertia_kgm2": inertia.tolist(), "com_ssacs_m": [0.0, 0.0, 0.0],
            "segment": None, "element_ids": []}
    return body, info


def port_rotation(axis) -> np.ndarray:
    """R_body_from_port with the port x axis along `axis` (y, z completed right-handed)."""
    x = np.asarray(axis, float) / np.linalg.norm(axis)
    helper = np.array([0.0, 0.0, 1.0]) if abs(x[2]) < 0.9 else np.array([0.0, 1.0, 0.0])
    y = np.cross(helper, x)
    y /= np.linalg.norm(y)
    return np.column_stack([x, y, np.cross(x, y)])


def custom_latch(la: dict):
    R = port_rotation(la["axis_body"])
    return pm.Latch(la["name"], la["body_a"], pm.PortFrame(la["port_a_body_m"], R),
                    la["body_b"], pm.PortFrame(la["port_b_body_m"], R))


def release_event(sc: Scenario):
    if sc.release is None:
        return []
    p = sc.pushers
    pushers = None
    if p is not None and p["count"] > 0:
        try:
            pushers = pm.Pushers(count=p["count"], stiffness_n_per_m=p["stiffness_n_per_m"],
                                 preload_n=p["preload_n"], stroke_m=p["stroke_m"],
                                 ring_radius_m=p["ring_radius_m"], offset_m=tuple(p["offset_m"]))
        except ValueError as exc:
            raise ScenarioError(sc.source, "release.pushers", _strip_source(str(exc))) from None
    return [pm.Release(t_s=sc.release["time_s"], latch=sc.release["latch"], pushers=pushers)]


def release_info(sc: Scenario, latches: list, events: tuple) -> dict | None:
    """Which latch opens when, which bodies it joins, and the spring energy (for the summary)."""
    if sc.release is None:
        return None
    latch = next(la for la in latches if la.name == sc.release["latch"])
    pushers = events[0].pushers
    return {"latch": latch.name, "body_a": latch.body_a, "body_b": latch.body_b, "t_s": sc.release["time_s"],
            "pusher_energy_j": 0.0 if pushers is None else float(pushers.energy_j),
            # the released ports, body frames (origin = CoM): scenario.apart measures the gap between them
            "port_a_body_m": np.asarray(latch.port_a.position_m, float).tolist(),
            "port_b_body_m": np.asarray(latch.port_b.position_m, float).tolist()}


def burn_events(sc: Scenario, bodies: list, meta: dict):
    """[[burn]] and body-frame [[impulse]] tables -> physics Burns (body frame, unit direction)."""
    out = []
    for i, b in enumerate(sc.burns):
        com = np.asarray(meta[b["body"]]["com_ssacs_m"], float)
        if b["point_ssacs_m"] is not None:
            point = np.asarray(b["point_ssacs_m"], float) - com     # p_body = p_ssacs - com_ssacs
        else:
            point = np.asarray(b["point_body_m"] or (0.0, 0.0, 0.0), float)
        d = np.asarray(b["direction_ssacs"] or b["direction_body"], float)
        out.append(pm.Burn(b["body"], b["start_s"], b["duration_s"], b["thrust_n"], point,
                           d / np.linalg.norm(d), isp_s=b["isp_s"], label=b["label"] or f"burn {i + 1}"))
    mass = {body.name: body.mass_kg for body in bodies}
    for i, imp in enumerate(sc.impulses):
        if imp["dv_body_mps"] is None:
            continue
        dv = np.asarray(imp["dv_body_mps"], float)
        # an impulse as a 1-s burn through the CoM: thrust = m |dv| / 1 s (mass constant, no isp)
        out.append(pm.Burn(imp["body"], imp["t_s"], 1.0, mass[imp["body"]] * np.linalg.norm(dv),
                           np.zeros(3), dv / np.linalg.norm(dv), label=f"impulse {i + 1}"))
    return out


def attitude_modes(sc: Scenario):
    q_station = sc.station["q_lvlh_from_body"] if sc.station is not None else (1.0, 0.0, 0.0, 0.0)
    q_of = {b["name"]: b["q_lvlh_from_body"] for b in sc.bodies}
    return [pm.AttitudeMode(name, mode, tuple(unit_q(q_of.get(name, q_station))))
            for name, mode in sc.attitude.items()]


def force_model(sc: Scenario):
    f = sc.forces
    return pm.ForceModel(central=f["central"], j2=f["j2"], j3_j4=f["j3_j4"],
                         drag=None if f["drag"] == "none" else f["drag"],
                         f107=f["f107_sfu"], f107a=f["f107a_sfu"], ap=f["ap"],
                         gravity_gradient=f["gravity_gradient"], aero_torque=f["aero_torque"],
                         sun_moon=f["sun_moon"], srp=f["srp"], environment=run_environment(sc))
