"""Visual hulls of revolved elements: modules, nodes, adapters and the visiting vehicles.

The outline is the element's `visual_profile_m` (station file: Zvezda's sphere and stepped hull, Zarya's
tapered ends, Soyuz/Progress modules, Dragon's capsule and trunk, Cygnus), else its mass profile, else a
cylinder with the ends its segment uses (CBM rings on US modules, docking collars on Russian ones).
`look` picks colours along the hull and extra parts; positions below that are not in the station file are
ESTIMATEs read off photographs (docs/station.md, "Visual geometry").
"""
from __future__ import annotations

import numpy as np

from station.shapes import STUB_DIAMETER_M, R_ssacs_from_local, direction
from station.visual import (PANEL_TONE, SSVP_COLLAR_R_M, Parts, _noise, blanket, lathe, port_ring, sections_for,
                            sheet, struts)

SOYUZ_BO_SA_END_M = 4.8       # Soyuz: orbital + descent modules (green-grey blankets) end here (ASI/Newkirk dims)
PROGRESS_CARGO_END_M = 3.0    # Progress: cargo module (green-grey blankets): ESTIMATE from its 7.2 m length
DRAGON_CAPSULE_M = 4.4        # Crew Dragon capsule height, the rest of the 8.1 m is the trunk: ESTIMATE
CYGNUS_PCM_END_M = 4.8        # Cygnus: pressurized cargo module, then the service module (mass profile step)
ULTRAFLEX_D_M = 3.7           # Cygnus UltraFlex array diameter (raumfahrer.net, Enhanced Cygnus, "je 3,70 m")
ULTRAFLEX_GORES = 10          # ESTIMATE (photos: a ten-sided fan)
DRAGON_FIN_M = (1.0, 0.8)     # trunk fins, length x height: ESTIMATE
US_END_CONE_M = 0.65          # US module end cone length (cylinder -> CBM flange): ESTIMATE
ROS_END_CONE_M = 0.35         # Russian module end bevel: ESTIMATE
CUPOLA_SECTIONS = 24          # 4 facets per side window (six windows)


def hull(e, parts: Parts) -> None:
    """Hull, arrays and port rings of a revolved element, in the element's local frame (as shapes.py)."""
    mass_prof = _mass_profile(e)
    x0 = (mass_prof[0][0] + mass_prof[-1][0]) / 2.0          # the mass shape's centre: both meshes align
    prof = _capped(e.param("visual_profile_m") or (mass_prof if e.param("profile_m") else _cylinder_profile(e)))
    look = e.param("look", "")
    r_max = max(r for _, r in prof)
    role = ROLE_AT.get(look, _default_role)
    sections = CUPOLA_SECTIONS if look == "cupola" else sections_for(r_max)
    col = (lambda j, x, r: SECTION_ROLES[look](j, x + x0, r, sections)) if look in SECTION_ROLES else None
    lathe(parts, [(a - x0, r) for a, r in prof], lambda x, r: role(e, x + x0, r, r_max), sections,
          tone_key=e.id, section_roles=col)
    if e.param("array_span_m") is not None:
        (_ultraflex_pair if look == "cygnus" else _module_arrays)(e, parts, prof, x0)
    if e.shape == "node":
        _node_ports(e, parts, prof, x0)
    if look == "dragon":
        _dragon_fins(e, parts, prof, x0)


def _mass_profile(e):
    if e.param("profile_m") is not None:
        return e.param("profile_m")
    return ((0.0, e.diameter_m / 2.0), (e.length_m, e.diameter_m / 2.0))


def _capped(prof):
    """Close both ends (a hull must not be see-through from its ends)."""
    prof = [tuple(p) for p in prof]
    if prof[0][1] > 0:
        prof = [(prof[0][0], 0.0)] + prof
    if prof[-1][1] > 0:
        prof = prof + [(prof[-1][0], 0.0)]
    return prof


def _cylinder_profile(e):
    """A `cylinder` as photographs show it: US pressurized modules end in cones down to a CBM flange; Russian
    modules in a bevel and a docking collar; arms and booms stay plain."""
    L, R = e.length_m, e.diameter_m / 2.0
    if R < 0.6:
        return ((0.0, R), (L, R))
    if e.segment == "USOS":
        rc, c = STUB_DIAMETER_M / 2, US_END_CONE_M
        return ((0.0, rc), (0.25, rc), (0.25, rc + 0.12), (c, R), (L - c, R), (L - 0.25, rc + 0.12), (L - 0.25, rc),
                (L, rc))
    rc, c = SSVP_COLLAR_R_M, ROS_END_CONE_M
    return ((0.0, rc), (0.2, rc), (0.2, R - 0.25), (c, R), (L - c, R), (L - 0.2, R - 0.25), (L - 0.2, rc), (L, rc))


def _default_role(e, a, r, r_max):
    """Ends: the cap inside a port is its hatch, the flange/collar around it a bare-metal ring."""
    if _near_end(e, a) and r < 1.1 and r < 0.8 * r_max:
        return "hatch" if r < 0.6 * r_max and r < 0.6 else "ring"
    return "white" if e.kind in ("module", "node", "airlock") and e.segment == "USOS" else "body"


def _near_end(e, a) -> bool:
    prof = e.param("visual_profile_m") or _mass_profile(e)
    return a < prof[0][0] + 0.5 or a > prof[-1][0] - 0.5


def _soyuz_role(e, a, r, r_max):
    if a < 0.25 or r < 0.5:
        return "ring"
    return "soyuz_mli" if a < SOYUZ_BO_SA_END_M else "body"


def _progress_role(e, a, r, r_max):
    if a < 0.25 or r < 0.5:
        return "ring"
    return "soyuz_mli" if a < PROGRESS_CARGO_END_M else "body"


def _dragon_role(e, a, r, r_max):
    if a < 0.45:
        return "ring"
    return "white"


def _cygnus_role(e, a, r, r_max):
    if a < 0.3:
        return "ring"
    return "body" if a < CYGNUS_PCM_END_M else "gold"


ROLE_AT = {"soyuz": _soyuz_role, "progress": _progress_role, "dragon": _dragon_role, "cygnus": _cygnus_role}


def _dragon_trunk_cells(j, a, r, n):
    """Crew Dragon's trunk: body-mounted solar cells on one half, white radiator on the other."""
    return "dark" if a > DRAGON_CAPSULE_M and np.cos(2 * np.pi * j / n) > 0 else None


def _cupola_windows(j, a, r, n):
    """Cupola: six trapezoid side windows on the sloped ring and the round top window (dark glass)."""
    if r < 0.41 and a > 1.45:
        return "dark"
    return "dark" if 1.05 < a < 1.45 and j % (n // 6) != 0 else None     # frames between the windows


SECTION_ROLES = {"dragon": _dragon_trunk_cells, "cupola": _cupola_windows}


def _radius_at(prof, a: float) -> float:
    pts = [(x, r) for x, r in prof]
    best = 0.0
    for (xa, ra), (xb, rb) in zip(pts, pts[1:]):
        if xa <= a <= xb and xb > xa:
            best = max(best, ra + (rb - ra) * (a - xa) / (xb - xa))
    return best


def _module_arrays(e, parts: Parts, prof, x0: float) -> None:
    """Two blue cell wings along local y with their panel grid and a boom from the hull."""
    half, chord = e.param("array_span_m") / 2.0, e.param("array_chord_m", 2.0)
    at = e.param("array_at_m", 0.0)
    ax = at - x0
    r = _radius_at(prof, at)
    root = r + 0.4
    grid = e.param("array_grid", (4.0, 1.0))
    for s in (1.0, -1.0):
        y0 = root if s > 0 else -half
        blanket(parts, (ax - chord / 2, y0, 0.0), (0, half - root, 0), (chord, 0, 0), (int(grid[0]), int(grid[1])),
                cell_role="array", seam_role="seam", tone_key=f"{e.id}{s}")
        struts(parts, [(ax, s * r * 0.95, 0.0)], [(ax, s * (root + 0.05), 0.0)], 0.15, "mast")


def _ultraflex_pair(e, parts: Parts, prof, x0: float) -> None:
    """Cygnus: two round UltraFlex fans on booms, their tips at the file's array span."""
    half = e.param("array_span_m") / 2.0
    ax = e.param("array_at_m", 0.0) - x0
    R = ULTRAFLEX_D_M / 2
    r = _radius_at(prof, e.param("array_at_m", 0.0))
    th = np.linspace(0, 2 * np.pi, ULTRAFLEX_GORES + 1)
    for s in (1.0, -1.0):
        c = np.array([ax, s * (half - R), 0.0])
        rim = c + R * np.stack([np.cos(th), np.sin(th), np.zeros_like(th)], 1)
        tone = 1.0 + 4 * PANEL_TONE * (np.arange(ULTRAFLEX_GORES) % 2 - 0.5)
        for k in range(ULTRAFLEX_GORES):
            sheet(parts, c, rim[k] - c, rim[k + 1] - rim[k], "array", offset=0.01, shade=tone[k])
        struts(parts, [(ax, s * r * 0.95, 0.0)], [c - [0, s * 0.2, 0]], 0.12, "mast")


def _node_ports(e, parts: Parts, prof, x0: float) -> None:
    """Berthing rings (CBM) or docking collars on a node's radial faces, with hatch covers."""
    R = R_ssacs_from_local(e.axis, e.normal)
    at = e.param("radial_port_at_m")
    r = _radius_at(prof, at)
    for name in e.param("radial_ports"):
        port_ring(parts, at, R.T @ direction(name), r - 0.05, e.segment == "ROS", x0)


def _dragon_fins(e, parts: Parts, prof, x0: float) -> None:
    """Four small fins at the aft end of the trunk (two-sided plates)."""
    end = prof[-1][0]
    r = _radius_at(prof, end - 0.1)
    fl, fh = DRAGON_FIN_M
    for k in range(4):
        phi = np.pi / 4 + k * np.pi / 2
        radial = np.array([0.0, np.cos(phi), np.sin(phi)])
        sheet(parts, np.array([end - x0 - fl, 0, 0]) + radial * r, (fl, 0, 0), radial * fh, "white")
