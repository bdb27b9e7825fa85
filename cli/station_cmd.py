"""`python main.py station`: mass properties of each segment and the whole station beside references."""
from __future__ import annotations

import argparse

import numpy as np

from station import build_model, load_station
from station.area import silhouette
from station.model import AREA_CELL_M
from station.references import (FRONTAL_AREA_RANGE_M2, JEOD, NASA_TOTAL_MASS_KG, RECOMMENDED_MASS_KG,
                                REFERENCE_MODEL, REFERENCE_MODEL_SOURCE)
from station.spec import StationFileError

E6 = 1e6
AXES = "xyz"
# The published figures describe the ISS; a file is an ISS variant (compared with them) when it has
# these elements. Any other station file gets its own figures only.
ISS_ELEMENTS = frozenset({"zarya", "zvezda", "unity", "destiny", "pma1"})


def add_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--no-vehicles", action="store_true", help="leave out every visiting vehicle")
    group.add_argument("--vehicles", nargs="+", metavar="ID", help="only these visiting vehicles (ids in the station file)")
    parser.add_argument("--station-file", default=None, help="station TOML (default: assets/station/iss_2022-03-05.toml)")
    parser.add_argument("--joint", action="append", default=[], metavar="NAME=DEG",
                        help="joint angle, e.g. --joint sarj_stbd=90 (repeatable)")


def joints_from_args(items: list[str]) -> dict[str, float]:
    """--joint NAME=DEG options -> {name: deg}; a malformed one is a one-line user error."""
    out = {}
    for item in items:
        name, _, deg = item.partition("=")
        try:
            value = float(deg)
        except ValueError:
            raise StationFileError(f"--joint: {item!r}: expected NAME=DEGREES") from None
        if not -360.0 <= value <= 360.0:          # also refuses nan and inf (NaN geometry, LinAlgError)
            raise StationFileError(f"--joint: {item!r}: expected an angle within -360..360 degrees")
        out[name.strip()] = value
    return out


def run(args: argparse.Namespace) -> int:
    spec = load_station(args.station_file)
    vehicles = False if args.no_vehicles else (args.vehicles if args.vehicles else True)
    model = build_model(spec, vehicles=vehicles, articulation=joints_from_args(args.joint))
    _print_report(spec, model)          # a reader leaving early (| head): main.py ends quietly
    return 0


def _print_report(spec, model) -> None:
    iss = ISS_ELEMENTS <= set(spec.elements)
    print(f"{spec.name} on {spec.configuration_date}  ({spec.path})")
    print(f"visiting vehicles aboard: {', '.join(model.vehicles) or 'none'}")
    moved = {j: a for j, a in model.articulation_deg.items() if a}
    print(f"joint angles: {moved or 'all 0 deg (reference pose: SARJ = BGA = TRRJ = 0)'}"
          + ("  (published figures are for the reference pose)" if moved and iss else ""))
    print(f"interface: port {model.interface.id} at {_vec(model.interface.position_m)} m (SSACS)")
    flight_dir = np.array([1.0, 0.0, 0.0])
    areas = {}
    for name, seg in model.segments.items():
        areas[name] = seg.projected_area(flight_dir)[0]
        _report(name, seg.mass, areas[name], _ref_key(spec, model, name) if iss else None,
                len(seg.element_ids), iss)
    _report("whole", model.whole, _whole_area(model, flight_dir), _ref_key(spec, model, None) if iss else None,
            sum(len(s.element_ids) for s in model.segments.values()), iss)
    names = " + ".join(model.segments)
    print(f"\n({names} areas counted separately: {sum(areas.values()):.0f} m2; "
          "in the whole station each hides part of the other.)")
    if iss:
        print(f"Reference model = {REFERENCE_MODEL_SOURCE.removeprefix('reference model, ')}.  JEOD = {JEOD['source']}.")
    else:
        print("Not the ISS (its elements zarya, zvezda, unity, destiny, pma1 are not all in the file): "
              "no published figures to compare with.")


def _ref_key(spec, model, segment: str | None) -> bool | None:
    """True/False when all/none of the segment's (or station's) vehicles are aboard: the reference
    model has figures for those two cases only; None for a partial set."""
    own = {e for e, el in spec.elements.items() if el.optional and segment in (None, el.segment)}
    aboard = own & set(model.vehicles)
    return True if aboard == own and own else (False if not aboard else None)


def _whole_area(model, direction: np.ndarray) -> float:
    tri = np.concatenate([seg.triangles() for seg in model.segments.values()])
    return silhouette(tri, direction, AREA_CELL_M)[0]


def _pct(model_value: float, ref: float) -> str:
    return f"{(model_value / ref - 1) * 100:+6.1f}%" if ref else "      "


def _f2(x: float, width: int = 0) -> str:
    """x to 2 decimals without a '-0.00' (round first, then +0.0 turns -0.0 into 0.0)."""
    return f"{round(float(x), 2) + 0.0:{width}.2f}"


def _vec(v) -> str:
    return "(" + ", ".join(_f2(x, 7) for x in v) + ")"


def _report(name: str, mp, area_m2: float, ref_key, n_elements: int, iss: bool = True) -> None:
    """One block: mass, CoM, tensor, principal axes, frontal area, each beside its references."""
    ref = REFERENCE_MODEL.get((name, ref_key)) if ref_key is not None else None
    print(f"\n== {name}  ({n_elements} elements)")
    print(f"  {'quantity':<26}{'model':>22}  {'reference':>22}  diff")
    _mass_rows(name, mp, ref, ref_key, iss)
    _com_rows(name, mp, ref, iss)
    _tensor(mp.inertia_kgm2, ref["inertia_kgm2"] if ref else None, "reference model")
    if name == "whole" and iss:
        _tensor(mp.inertia_kgm2, JEOD["inertia_kgm2"], "JEOD", header=False)
    w, v = mp.principal()
    print(f"  {'principal moments [1e6]':<26}{'  '.join(_f2(x / E6) for x in w)}")
    for k in range(3):
        print(f"  {'principal axis ' + str(k + 1):<26}{_vec(v[:, k])}")
    _area_rows(name, area_m2, iss)


def _area_rows(name: str, area_m2: float, iss: bool = True) -> None:
    rng = FRONTAL_AREA_RANGE_M2.get(name) if iss else None
    ref = f"{rng[0]:.0f}-{rng[1]:.0f}".rjust(22) + "         range ESTIMATE (iss_configuration.md 6.2)" if rng else ""
    print(f"  {'projected area +X [m2]':<26}{area_m2:>22.0f}  {ref}")
    if name == "whole" and iss:
        print(f"  {'':<26}{'':>22}  {JEOD['area_m2']:>22.0f}  {_pct(area_m2, JEOD['area_m2'])}  JEOD drag area (Cd 2.0)")


def _mass_rows(name: str, mp, ref, ref_key, iss: bool = True) -> None:
    r = ref["mass_kg"] if ref else None
    label = "  reference model" if ref else ""
    print(f"  {'mass [t]':<26}{mp.mass_kg / 1e3:>22.2f}  {_num(r, 1e3):>22}  {_pct(mp.mass_kg, r) if r else '      '}{label}")
    if name != "whole" or not iss:
        return
    others = [(RECOMMENDED_MASS_KG[ref_key], "recommended early-2022 ESTIMATE")] if ref_key is not None else []
    others += [(NASA_TOTAL_MASS_KG, "NASA Facts and Figures (pre-Nauka)"), (JEOD["mass_kg"], "JEOD ISS set")]
    for value, label in others:
        print(f"  {'':<26}{'':>22}  {value / 1e3:>22.2f}  {_pct(mp.mass_kg, value)}  {label}")


def _com_rows(name: str, mp, ref, iss: bool = True) -> None:
    if ref:
        d = np.linalg.norm(mp.com_m - np.array(ref["com_m"]))
        print(f"  {'CoM [m] SSACS':<26}{_vec(mp.com_m):>22}  {_vec(ref['com_m']):>22}  |d| {d:.2f} m")
    else:
        print(f"  {'CoM [m] SSACS':<26}{_vec(mp.com_m):>22}")
    if name == "whole" and iss:
        d = np.linalg.norm(mp.com_m - JEOD["com_m"])
        pad = len(_vec(mp.com_m))            # the CoM column is wider than the 22 of the number rows
        print(f"  {'':<26}{'':>{pad}}  {_vec(JEOD['com_m']):>22}  |d| {d:.2f} m  JEOD")


def _num(v, scale) -> str:
    return f"{v / scale:.2f}" if v is not None else "-"


def _tensor(I, ref, label: str, header: bool = True) -> None:
    if header:
        print(f"  inertia about CoM [1e6 kg m2], SSACS axes, I_xy = -sum m x y")
    for i, j in ((0, 0), (1, 1), (2, 2), (0, 1), (0, 2), (1, 2)):
        name = f"I{AXES[i]}{AXES[j]}"
        if ref is None:
            if header:
                print(f"  {name:<26}{_f2(I[i, j] / E6, 22)}")
            continue
        diff = _pct(I[i, j], ref[i, j]) if i == j else f"{round((I[i, j] - ref[i, j]) / E6, 2) + 0.0:+6.2f}  "
        print(f"  {name:<26}{_f2(I[i, j] / E6, 22)}  {_f2(ref[i, j] / E6, 22)}  {diff}  {label}")
