"""Cost per call of the environment pieces used every integrator step (prints figures; not a test).

    python benchmarks/bench_environment.py
"""
from __future__ import annotations

import sys
import timeit
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from physics import atmosphere as A  # noqa: E402
from physics import drag as D  # noqa: E402
from physics import ephemeris as E  # noqa: E402
from physics import frames as F  # noqa: E402
from physics import srp as S  # noqa: E402
from physics.forces import make_context  # noqa: E402
from physics.model import DragShape, ForceModel, RigidBody  # noqa: E402


def per_call_us(stmt, number=2000, **names) -> float:
    return min(timeit.repeat(stmt, globals=names, number=number, repeat=3)) / number * 1e6


def fibonacci_shape(n=500) -> DragShape:
    k = np.arange(n) + 0.5
    z = 1 - 2 * k / n
    phi = np.pi * (1 + 5 ** 0.5) * k
    d = np.stack([np.sqrt(1 - z * z) * np.cos(phi), np.sqrt(1 - z * z) * np.sin(phi), z], axis=1)
    return DragShape(cd=2.2, directions=d, area_m2=100 * np.abs(d[:, 0]) + 50, cop_m=0.1 * d)


def main() -> None:
    ep = F.timescale().utc(2022, 3, 5, 12).tt
    rows = []
    for n in (1, 2, 100, 1000):
        lat, lon, alt = np.zeros(n), np.linspace(-3, 3, n), np.full(n, 420e3)
        us = per_call_us("A.msis_density(ep, 10.0, lat, lon, alt, 115.0, 115.0, 10.0)",
                         number=max(20, 2000 // n), A=A, ep=ep, lat=lat, lon=lon, alt=alt)
        rows.append((f"pymsis direct, {n} points", us, us / n))
    table = A.MsisTable(ep, 115.0, 115.0, 10.0)
    lat, lon, alt = np.array([0.3, 0.3]), np.array([1.0, 1.0]), np.array([420e3, 420e3])
    table.density(10.0, lat, lon, alt)
    rows.append(("MsisTable.density, 2 points (block cached)",
                 per_call_us("t.density(10.0, lat, lon, alt)", t=table, lat=lat, lon=lon, alt=alt), None))
    rows.append(("MsisTable block build (19 lat x 25 lst x 6 alt = 2850 pts)",
                 per_call_us("A.MsisTable(ep, 115.0, 115.0, 10.0)._block(0, 40)", number=5, A=A, ep=ep), None))
    rows.append(("exponential_density, 2 points", per_call_us("A.exponential_density(alt)", A=A, alt=alt), None))
    er = F.EarthRotation(ep)
    er.itrs_from_gcrs(10.0)
    r = np.array([[6.8e6, 0, 0], [6.8e6, 100, 0]])
    v = np.array([[0, 7600.0, 0]] * 2)
    rows.append(("itrs_from_gcrs exact (skyfield), 1 time", per_call_us("F.itrs_from_gcrs(ep, 10.0)", 300, F=F, ep=ep), None))
    rows.append(("itrs_from_gcrs exact, 1000 times vectorised",
                 per_call_us("F.itrs_from_gcrs(ep, ts)", 5, F=F, ep=ep, ts=np.arange(1000.0)), None))
    rows.append(("EarthRotation.itrs_from_gcrs (fast)", per_call_us("er.itrs_from_gcrs(10.0)", er=er), None))
    rows.append(("geodetic_from_itrs, 2 points (scalar path)", per_call_us("F.geodetic_from_itrs(r)", F=F, r=r), None))
    big = np.tile(r, (500, 1))
    rows.append(("geodetic_from_itrs, 1000 points", per_call_us("F.geodetic_from_itrs(b)", 200, F=F, b=big), None))
    shape = fibonacci_shape()
    bodies = [RigidBody(name=k, mass_kg=1e5, inertia_kgm2=np.eye(3), drag=shape, srp_area_m2=1000.0) for k in "AB"]
    R = np.tile(np.eye(3), (2, 1, 1))
    for mode in ("exponential", "msis"):
        ctx = make_context(bodies, ep, ForceModel(drag=mode, sun_moon=True, srp=True))
        D.drag_term(ctx, 10.0, r, v, R, None)
        rows.append((f"drag_term {mode}, 2 bodies, 500-direction table",
                     per_call_us("D.drag_term(ctx, 10.0, r, v, R, None)", D=D, ctx=ctx, r=r, v=v, R=R), None))
    E.third_body_term(ctx, 10.0, r, v, R, None)
    rows.append(("sun_gcrs_m exact (DE421 via skyfield)", per_call_us("E.sun_gcrs_m(ep, 10.0)", 300, E=E, ep=ep), None))
    rows.append(("EphemerisCache.position (Hermite)", per_call_us("c.position('sun', 10.0)", c=E.ephemeris_of(ctx)), None))
    rows.append(("third_body_term (Sun + Moon), 2 bodies",
                 per_call_us("E.third_body_term(ctx, 10.0, r, v, R, None)", E=E, ctx=ctx, r=r, v=v, R=R), None))
    rows.append(("srp_term, 2 bodies (conical shadow)",
                 per_call_us("S.srp_term(ctx, 10.0, r, v, R, None)", S=S, ctx=ctx, r=r, v=v, R=R), None))
    print(f"{'what':62s} {'us/call':>10s} {'us/point':>10s}")
    for what, us, per_pt in rows:
        print(f"{what:62s} {us:10.1f} {'' if per_pt is None else f'{per_pt:10.2f}'}")


if __name__ == "__main__":
    main()
