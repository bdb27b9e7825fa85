"""The far drawing: an element as it reads when its segment covers only a few hundred pixels on screen.

Same outline, colours and placement as the drawing (station/visual.py, station/visual_craft.py), with
what a pixel cannot show left out: hulls with FAR_SECTIONS facets around and no blanket-panel rings,
trusses and wing masts as boxes instead of lattices, solar blankets and radiators as plain sheets without
their cell grid and seams, no berthing rings, fins or booms. The renderer switches a segment to it below
`render/meshes.py: LOD_PX` (docs/render.md, "Level of detail"); nothing here feeds physics or the glTF.
"""
from __future__ import annotations

import functools

import numpy as np
import trimesh

from station import visual_craft as craft
from station.shapes import R_ssacs_from_local
from station.visual import (MAST_VIS_M, SHEET_EPS_M, TRUSS_CORE, Parts, box, build_in_ssacs, lathe, sheet)

FAR_SECTIONS_BIG = 16    # facets around hulls wider than 2.5 m (full drawing 28; panel rings dropped)
FAR_SECTIONS_SMALL = 12  # 0.6-2.5 m wide (full 16)
FAR_SECTIONS_TINY = 4    # arms and booms (< 0.6 m): a pixel or two wide
FAR_SMOOTH_ANGLE_DEG = 31.0   # smooth across the 22.5-30 deg between far facets; cones, steps, boxes crisp
# The lattice (light struts round a grey core, the dark sky seen through it; station/visual.py) drawn as
# one box of the core's grey, close to the lattice's mean brightness in frames rendered both ways
# (docs/render.md, "Level of detail"): ESTIMATE.
TRUSS_FAR_SHADE = 1.0


def far_sections(radius_m: float) -> int:
    return FAR_SECTIONS_BIG if radius_m > 1.25 else FAR_SECTIONS_SMALL if radius_m > 0.3 else FAR_SECTIONS_TINY


def _revolved(e, parts: Parts) -> None:
    mass_prof = craft._mass_profile(e)
    x0 = (mass_prof[0][0] + mass_prof[-1][0]) / 2.0
    prof = craft._capped(e.param("visual_profile_m") or (mass_prof if e.param("profile_m") else craft._cylinder_profile(e)))
    look = e.param("look", "")
    r_max = max(r for _, r in prof)
    role = craft.ROLE_AT.get(look, craft._default_role)
    n = far_sections(r_max)
    col = (lambda j, x, r: craft._dragon_trunk_cells(j, x + x0, r, n)) if look == "dragon" else None
    lathe(parts, [(a - x0, r) for a, r in prof], lambda x, r: role(e, x + x0, r, r_max), n, tone_key=e.id,
          panel_m=0, section_roles=col)
    if e.param("array_span_m") is not None:
        (_ultraflex if look == "cygnus" else _module_arrays)(e, parts, prof, x0)


def _module_arrays(e, parts: Parts, prof, x0: float) -> None:
    half, chord = e.param("array_span_m") / 2.0, e.param("array_chord_m", 2.0)
    ax = e.param("array_at_m", 0.0) - x0
    root = craft._radius_at(prof, e.param("array_at_m", 0.0)) + 0.4
    for s in (1.0, -1.0):
        sheet(parts, (ax - chord / 2, root if s > 0 else -half, 0.0), (0, half - root, 0), (chord, 0, 0), "array",
              offset=SHEET_EPS_M)


def _ultraflex(e, parts: Parts, prof, x0: float) -> None:
    """Cygnus's round fans as squares of the same area."""
    half, ax = e.param("array_span_m") / 2.0, e.param("array_at_m", 0.0) - x0
    side = craft.ULTRAFLEX_D_M * np.sqrt(np.pi) / 2
    for s in (1.0, -1.0):
        c = np.array([ax, s * (half - craft.ULTRAFLEX_D_M / 2), 0.0])
        sheet(parts, c - [side / 2, side / 2, 0], (side, 0, 0), (0, side, 0), "array", offset=SHEET_EPS_M)


def _box(e, parts: Parts) -> None:
    L, W, H = e.length_m, e.param("width_m"), e.param("height_m")
    if e.param("look") == "lattice":
        return box(parts, (0, 0, 0), (L, W, H), "body", TRUSS_FAR_SHADE)
    if e.param("look") == "carriers":
        from station.visual import CARRIER_DECK_M, CARRIER_SITES_M
        R = R_ssacs_from_local(e.axis, e.normal)
        for site in CARRIER_SITES_M:        # deck and payloads as one box each
            c = R.T @ (np.asarray(site, float) - np.asarray(e.center_m, float))
            out = R.T @ np.array([0.0, 0.0, np.sign(site[2])])
            box(parts, c + out * 0.4, np.abs(R.T @ (np.asarray(CARRIER_DECK_M) + [0, 0, 0.8])), "payload")
        return
    box(parts, (0, 0, 0), (L, W, H), "body")


def _wing(e, parts: Parts) -> None:
    """US wing: mast and canister as boxes, each blanket one sheet per side, the blanket box."""
    L, W = e.length_m, e.param("width_m")
    bl, gap = e.param("blanket_length_m"), e.param("blanket_gap_m")
    bw = (W - gap) / 2.0
    x_base = L / 2.0 - bl
    box(parts, (0, 0, 0), (L, MAST_VIS_M * TRUSS_CORE, MAST_VIS_M * TRUSS_CORE), "mast")
    box(parts, (-L / 2 + 0.6, 0, 0), (1.2, 1.1, 1.1), "mast")
    for s in (1.0, -1.0):
        y0 = s * gap / 2
        sheet(parts, (x_base, y0 if s > 0 else y0 - bw, 0.0), (bl, 0, 0), (0, bw, 0), "array", offset=SHEET_EPS_M)
        box(parts, (x_base - 0.3, y0 + s * bw / 2, 0), (0.6, bw, 0.45), "mast")


def _panels(e, parts: Parts) -> None:
    """Radiator ORUs or an iROSA blanket: one sheet per panel."""
    n, w, gap, L = e.param("panel_count"), e.param("width_m"), e.param("panel_gap_m", 0.2), e.length_m
    role = "array" if e.kind == "array" else "radiator"
    for y in (np.arange(n) - (n - 1) / 2.0) * (w + gap):
        sheet(parts, (-L / 2, y - w / 2, 0), (L, 0, 0), (0, w, 0), role, offset=0.02 if role == "radiator" else SHEET_EPS_M)


FAR_BUILDERS = {"cylinder": _revolved, "revolved": _revolved, "node": _revolved,
                "box": _box, "array_wing": _wing, "panels": _panels}


@functools.lru_cache(maxsize=512)
def far_mesh(e) -> trimesh.Trimesh:
    """The element's far drawing in SSACS at all joint angles zero, like `visual.visual_mesh` (cached)."""
    return build_in_ssacs(e, FAR_BUILDERS)
