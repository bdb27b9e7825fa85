"""Visual meshes: what an element looks like, built from the same spec as its mass shape (station/shapes.py).

The mass shapes stay the closed solids that give mass properties and drag areas; nothing here feeds
physics. A visual mesh adds what photographs show: revolved hulls with more facets and the panel tone
of MMOD blankets, berthing rings and hatches, truss lattices, array blankets with their cell grid and
seams, radiator panels, and the look of each vehicle (station/visual_craft.py). Thin parts are
two-sided sheets (the renderer culls back faces), struts are open 4-sided tubes.

Every part carries a role (station/appearance.py) and a shade (x colour, panel-to-panel tone); the mesh
is in SSACS at all joint angles zero, like `element_mesh`. Dimensions not in the station file are
named constants below, each sourced or marked ESTIMATE (docs/station.md, "Visual geometry").
"""
from __future__ import annotations

import functools
import zlib

import numpy as np
import trimesh

from station.shapes import MAST_M, STUB_DIAMETER_M, R_ssacs_from_local, direction

SECTIONS_BIG = 28        # facets around hulls wider than 2.5 m (smooth normals hide the facets)
SECTIONS_SMALL = 16      # hulls 0.6-2.5 m wide
SECTIONS_TINY = 10       # arms and booms
PORT_SECTIONS = 12       # berthing rings and collars
PANEL_M = 2.2            # MMOD/MLI panel length along a hull (tone changes per panel): ESTIMATE
PANEL_TONE = 0.035       # +-3.5 % brightness between neighbouring blanket panels: ESTIMATE (photos)
SHEET_EPS_M = 0.01       # the two faces of a thin sheet sit this far either side of its plane
STRUT_M = 0.16           # truss strut/longeron cross-section: ESTIMATE
TRUSS_BAY_M = 2.3        # truss bay length (~6 bays per 13.7 m segment): ESTIMATE
TRUSS_CORE = 0.55        # equipment core inside a truss bay, fraction of width/height: ESTIMATE
MAST_VIS_M = 0.75        # FASTMast square section seen from outside: ESTIMATE
MAST_BAY_M = 3.5         # FASTMast batten spacing as drawn: ESTIMATE
SEAM_M = 0.05            # gap between array panels: ESTIMATE
SSVP_COLLAR_R_M = 0.65   # Russian docking collar radius (SSVP ring ~1.3 m): ESTIMATE
CBM_RING_M = 0.12        # CBM ring flange height beyond the stub: ESTIMATE


class Parts:
    """Accumulates triangles with a role and a shade per face; `mesh()` gives one trimesh."""

    def __init__(self):
        self.v, self.f, self.role, self.shade, self.n = [], [], [], [], 0

    def add(self, vertices, faces, role: str, shade=1.0) -> None:
        vertices, faces = np.asarray(vertices, float).reshape(-1, 3), np.asarray(faces, np.int64).reshape(-1, 3)
        self.v.append(vertices)
        self.f.append(faces + self.n)
        self.role.append(np.full(len(faces), role, dtype=object) if isinstance(role, str) else np.asarray(role, object))
        self.shade.append(np.broadcast_to(np.asarray(shade, float), (len(faces),)).copy())
        self.n += len(vertices)

    def mesh(self) -> trimesh.Trimesh:
        if not self.f:
            return trimesh.Trimesh()
        m = trimesh.Trimesh(np.concatenate(self.v), np.concatenate(self.f), process=False)
        m.metadata["face_role"] = np.concatenate(self.role).astype(str)
        m.metadata["face_shade"] = np.concatenate(self.shade)
        return m


def _noise(key: str, n: int) -> np.ndarray:
    """Deterministic tone in [-1, 1] per panel (same picture every run)."""
    return np.random.default_rng(zlib.crc32(key.encode())).uniform(-1.0, 1.0, n)


def sections_for(radius_m: float) -> int:
    return SECTIONS_BIG if radius_m > 1.25 else SECTIONS_SMALL if radius_m > 0.3 else SECTIONS_TINY


def _frame(T):
    return np.eye(4) if T is None else np.asarray(T, float)


def lathe(parts: Parts, points, role_at, sections: int, T=None, tone_key: str = "", panel_m: float = PANEL_M,
          section_roles=None) -> None:
    """Surface of revolution about local x through profile points [(x, r), ...] (any order: steps, flanges
    and hatches that turn back are fine). role_at(x_mid, r_mid) -> role per profile segment;
    section_roles(j) -> role override per facet column (windows, trunk cells) or None.
    Straight runs longer than panel_m are split so blanket panels get their own tone."""
    pts = _subdivide(np.asarray(points, float), panel_m)
    th = np.linspace(0.0, 2 * np.pi, sections, endpoint=False)
    c, s = np.cos(th), np.sin(th)
    n_p = len(pts)
    verts = np.empty((n_p, sections, 3))
    verts[..., 0] = pts[:, :1]
    verts[..., 1] = pts[:, 1:2] * c
    verts[..., 2] = pts[:, 1:2] * s
    i, j = np.meshgrid(np.arange(n_p - 1), np.arange(sections), indexing="ij")
    a, b = i * sections + j, i * sections + (j + 1) % sections
    a2, b2 = a + sections, b + sections
    quads = np.stack([np.stack([a, b2, a2], -1), np.stack([a, b, b2], -1)], axis=2)   # outwards for x rising
    mid = (pts[:-1] + pts[1:]) / 2
    seg_role = np.array([role_at(x, r) for x, r in mid], dtype=object)
    roles = np.repeat(seg_role[:, None], sections, axis=1)
    if section_roles is not None:
        for jj in range(sections):
            for ii in range(n_p - 1):
                alt = section_roles(jj, mid[ii][0], mid[ii][1])
                if alt is not None:
                    roles[ii, jj] = alt
    tone = 1.0 + PANEL_TONE * _noise(tone_key, (n_p - 1) * sections).reshape(n_p - 1, sections)
    keep = np.abs(pts[1:, 1] - pts[:-1, 1]) + np.abs(pts[1:, 0] - pts[:-1, 0]) > 1e-9   # no zero-length runs
    faces = quads[keep].reshape(-1, 3)
    role = np.repeat(roles[keep].reshape(-1), 2)
    shade = np.repeat(tone[keep].reshape(-1), 2)
    ok = _nondegenerate(verts.reshape(-1, 3), faces)
    parts.add(trimesh.transform_points(verts.reshape(-1, 3), _frame(T)), faces[ok], role[ok], shade[ok])


def _subdivide(pts: np.ndarray, panel_m: float) -> np.ndarray:
    out = [pts[0]]
    for p, q in zip(pts[:-1], pts[1:]):
        n = int(np.ceil(np.linalg.norm(q - p) / panel_m)) if panel_m > 0 else 1
        out += [p + (q - p) * k / n for k in range(1, n + 1)] if n > 1 else [q]
    return np.array(out)


def _nondegenerate(v: np.ndarray, f: np.ndarray) -> np.ndarray:
    t = v[f]
    return np.linalg.norm(np.cross(t[:, 1] - t[:, 0], t[:, 2] - t[:, 0]), axis=1) > 1e-10


def struts(parts: Parts, p0, p1, width: float, role: str) -> None:
    """Open triangular tubes from p0 (N,3) to p1 (N,3), `width` across: 6 triangles each (thin members
    are a few pixels wide: three sides read as a round or square member and cost half a box)."""
    p0, p1 = np.atleast_2d(np.asarray(p0, float)), np.atleast_2d(np.asarray(p1, float))
    d = p1 - p0
    d /= np.maximum(np.linalg.norm(d, axis=1, keepdims=True), 1e-12)
    helper = np.where(np.abs(d[:, :1]) < 0.9, [[1.0, 0, 0]], [[0, 1.0, 0]])
    u = np.cross(d, helper)
    u /= np.linalg.norm(u, axis=1, keepdims=True)
    w = np.cross(d, u)
    ang = np.radians([90.0, 210.0, 330.0])
    ring = (np.cos(ang)[None, :, None] * u[:, None] + np.sin(ang)[None, :, None] * w[:, None]) * width / np.sqrt(3)
    v = np.concatenate([p0[:, None] + ring, p1[:, None] + ring], axis=1)    # (N,6,3)
    k = np.arange(3)
    quad = np.stack([np.stack([k, (k + 1) % 3, 3 + (k + 1) % 3], -1), np.stack([k, 3 + (k + 1) % 3, 3 + k], -1)], 1)
    faces = (quad.reshape(-1, 3)[None] + 6 * np.arange(len(p0))[:, None, None]).reshape(-1, 3)
    parts.add(v.reshape(-1, 3), faces, role)


def box(parts: Parts, center, extents, role: str, shade=1.0) -> None:
    b = trimesh.creation.box(extents=extents)
    parts.add(b.vertices + np.asarray(center, float), b.faces, role, shade)


def sheet(parts: Parts, origin, u, v, role: str, offset: float = 0.0, sides=(1, -1), shade=1.0) -> None:
    """Quad origin .. origin+u+v; one face per side in `sides` (+1 faces u x v), each `offset` out."""
    origin, u, v = (np.asarray(x, float) for x in (origin, u, v))
    n = np.cross(u, v)
    n /= np.linalg.norm(n)
    for s in sides:
        o = origin + s * offset * n
        q = np.array([o, o + u, o + u + v, o + v])
        parts.add(q, [[0, 1, 2], [0, 2, 3]] if s > 0 else [[0, 2, 1], [0, 3, 2]], role, shade)


def blanket(parts: Parts, origin, u, v, grid: tuple[int, int], cell_role: str = "array", seam_role: str = "seam",
            tone_key: str = "", grid_sides=(1, -1)) -> None:
    """A solar blanket: grid[0] x grid[1] panels with SEAM_M hairline gaps between them (the panel grid
    photos show) on the faces in `grid_sides` (+1: the u x v side), one plain sheet on any other face
    (US wings: the grid on the side most cameras see, half the triangles). No backing sheet under the
    panels: llvmpipe would shade every blanket pixel twice. Hinge bars (seam_role) across both ends."""
    origin, u, v = (np.asarray(x, float) for x in (origin, u, v))
    du = u / np.linalg.norm(u) * 0.06
    for end in (0.0, 1.0):
        sheet(parts, origin + u * end - du * end, du, v, seam_role)
    for side in (1, -1):
        if side not in grid_sides:
            sheet(parts, origin, u, v, cell_role, offset=SHEET_EPS_M, sides=(side,))
    nu, nv = int(grid[0]), int(grid[1])
    lu, lv = np.linalg.norm(u), np.linalg.norm(v)
    gu, gv = min(SEAM_M / lu, 0.3 / nu), min(SEAM_M / lv, 0.3 / nv)
    tone = 1.0 + 0.5 * PANEL_TONE * _noise(tone_key, nu * nv)
    for k in range(nu * nv):
        a, b = divmod(k, nv)
        o = origin + u * (a / nu + gu / 2) + v * (b / nv + gv / 2)
        sheet(parts, o, u * (1 / nu - gu), v * (1 / nv - gv), cell_role, offset=SHEET_EPS_M, sides=grid_sides,
              shade=tone[k])


def port_ring(parts: Parts, at_x: float, d_local, r_hull: float, ros: bool, x_shift: float = 0.0) -> None:
    """A radial berthing ring (CBM, USOS) or docking collar (SSVP, ROS) with its hatch cover."""
    r = SSVP_COLLAR_R_M if ros else STUB_DIAMETER_M / 2
    prof = [(-0.3, r), (0.45, r), (0.45, r + CBM_RING_M), (0.55, r + CBM_RING_M), (0.55, 0.0)]
    T = trimesh.geometry.align_vectors([1.0, 0, 0], d_local)
    T[:3, 3] = np.array([at_x - x_shift, 0.0, 0.0]) + np.asarray(d_local, float) * r_hull
    lathe(parts, prof, lambda x, rr: "hatch" if rr < r * 0.8 and x > 0.5 else "ring", PORT_SECTIONS, T,
          panel_m=0)


# ---------------------------------------------------------------- element builders (local frame)

# ExPRESS Logistics Carriers as drawn for the lumped `carriers` element (SSACS centres): ELC-2 S3 upper,
# ELC-4 S3 lower, ELC-3 P3 upper, ELC-1 P3 lower (NASA ELC pages); positions and the 4.3 x 2.4 x 1.2 m
# deck (with payload boxes on it) ESTIMATE from photos. The mass stays lumped where the file puts it.
CARRIER_SITES_M = ((0.0, 24.0, -3.0), (0.0, 22.5, 3.0), (0.0, -24.0, -3.0), (0.0, -22.5, 3.0))
CARRIER_DECK_M = (2.4, 4.3, 0.35)


def _box_parts(e, parts: Parts) -> None:
    if e.param("look") == "lattice":
        return lattice(parts, e.length_m, e.param("width_m"), e.param("height_m"), e.id)
    if e.param("look") == "carriers":
        return _carriers(e, parts)
    box(parts, (0, 0, 0), (e.length_m, e.param("width_m"), e.param("height_m")), "body")


def _carriers(e, parts: Parts) -> None:
    R = R_ssacs_from_local(e.axis, e.normal)
    tone = 1.0 + 3 * PANEL_TONE * _noise(e.id, 4 * len(CARRIER_SITES_M))
    for k, site in enumerate(CARRIER_SITES_M):
        c = R.T @ (np.asarray(site, float) - np.asarray(e.center_m, float))     # local frame
        out = R.T @ np.array([0.0, 0.0, np.sign(site[2])])                      # away from the truss
        deck = np.abs(R.T @ np.asarray(CARRIER_DECK_M))
        box(parts, c, deck, "strut")
        for j, (dx, dy) in enumerate(((-0.6, -1.2), (0.6, -1.0), (-0.5, 1.1), (0.6, 1.2))):   # payload boxes
            along = R.T @ np.array([dx, dy, 0.0])
            box(parts, c + along + out * 0.6, np.abs(R.T @ np.array([0.9, 1.5, 0.85])), "payload", tone[4 * k + j])


def lattice(parts: Parts, L: float, W: float, H: float, key: str) -> None:
    """Truss segment: four longerons, one diagonal per face per bay (alternating, Warren pattern), frames
    at both ends, around a grey equipment core per bay: the lattice reads from every side."""
    nb = max(1, int(round(L / TRUSS_BAY_M)))
    xs = np.linspace(-L / 2, L / 2, nb + 1)
    cy, cz = W / 2 - STRUT_M, H / 2 - STRUT_M
    corners = np.array([(cy, cz), (-cy, cz), (-cy, -cz), (cy, -cz)])
    p0, p1 = [], []
    for y, z in corners:                                                   # longerons
        p0.append((xs[0], y, z)), p1.append((xs[-1], y, z))
    for k, x in enumerate(xs[[0, -1]]):                                    # end frames (Warren: no verticals)
        for c in range(4):
            (y0, z0), (y1, z1) = corners[c], corners[(c + 1) % 4]
            p0.append((x, y0, z0)), p1.append((x, y1, z1))
    for k in range(nb):                                                    # diagonals
        for c in range(4):
            (y0, z0), (y1, z1) = corners[c], corners[(c + 1) % 4]
            a, b = (xs[k], xs[k + 1]) if k % 2 == 0 else (xs[k + 1], xs[k])
            p0.append((a, y0, z0)), p1.append((b, y1, z1))
    struts(parts, p0, p1, STRUT_M, "strut")
    tone = 1.0 + 2 * PANEL_TONE * _noise(key, nb)
    for k in range(nb):                                                    # equipment core, a box per bay
        box(parts, ((xs[k] + xs[k + 1]) / 2, 0, 0), (xs[k + 1] - xs[k] - 0.15, W * TRUSS_CORE, H * TRUSS_CORE),
            "body", tone[k])


def _wing_parts(e, parts: Parts) -> None:
    """US solar array wing: FASTMast lattice, mast canister, two gold blankets with their panel grid, the
    blanket boxes at the base and the tension bars at the tip."""
    L, W = e.length_m, e.param("width_m")
    bl, gap = e.param("blanket_length_m"), e.param("blanket_gap_m")
    bw = (W - gap) / 2.0
    x_base = L / 2.0 - bl
    h = MAST_VIS_M / 2
    nb = max(1, int(round(L / MAST_BAY_M)))
    xs = np.linspace(-L / 2, L / 2, nb + 1)
    cs = [(h, h), (-h, h), (-h, -h), (h, -h)]
    p0 = [(xs[0], y, z) for y, z in cs] + [(xs[k], *cs[c]) for k in range(nb) for c in (0, 2)]
    p1 = [(xs[-1], y, z) for y, z in cs] + [(xs[k + 1], *cs[(c + 1) % 4]) for k in range(nb) for c in (0, 2)]
    # longerons and a zig-zag on two faces: the lattice reads at 30-150 m for a quarter of a full truss
    struts(parts, p0, p1, 0.06, "mast")
    box(parts, (-L / 2 + 0.6, 0, 0), (1.2, 1.1, 1.1), "mast")              # mast canister (ESTIMATE size)
    grid = e.param("array_grid", (41.0, 1.0))
    for s in (1.0, -1.0):
        y0 = s * gap / 2
        origin = np.array([x_base, y0 if s > 0 else y0 - bw, 0.0])
        blanket(parts, origin, (bl, 0, 0), (0, bw, 0), (int(grid[0]), int(grid[1])), tone_key=f"{e.id}{s}",
                grid_sides=(-1,))                  # local -z = zenith in the reference pose
        box(parts, (x_base - 0.3, y0 + s * bw / 2, 0), (0.6, bw, 0.45), "mast")   # blanket box (ESTIMATE)
        box(parts, (L / 2 + 0.1, y0 + s * bw / 2, 0), (0.2, bw, 0.12), "mast")   # tip tension bar (ESTIMATE)


def _panel_parts(e, parts: Parts) -> None:
    """Radiator ORUs (white panels with seams and edge frames) or an iROSA blanket (blue cell grid, booms)."""
    n, w = e.param("panel_count"), e.param("width_m")
    gap, L = e.param("panel_gap_m", 0.2), e.length_m
    segs = int(e.param("panel_segments", 1))
    offsets = (np.arange(n) - (n - 1) / 2.0) * (w + gap)
    for k, y in enumerate(offsets):
        if e.kind == "array":
            grid = e.param("array_grid", (10.0, 2.0))
            blanket(parts, (-L / 2, y - w / 2, 0), (L, 0, 0), (0, w, 0), (int(grid[0]), int(grid[1])), tone_key=e.id)
            struts(parts, [(-L / 2, y + s * w / 2, 0) for s in (1, -1)], [(L / 2, y + s * w / 2, 0) for s in (1, -1)],
                   0.25, "mast")
            continue
        pitch = L / segs
        tone = 1.0 + PANEL_TONE * _noise(f"{e.id}{k}", segs)
        for j in range(segs):
            x0 = -L / 2 + j * pitch + SEAM_M / 2
            sheet(parts, (x0, y - w / 2, 0), (pitch - SEAM_M, 0, 0), (0, w, 0), "radiator", offset=0.02,
                  shade=tone[j])
        struts(parts, [(-L / 2, y + s * (w / 2 + 0.05), 0) for s in (1, -1)],
               [(L / 2, y + s * (w / 2 + 0.05), 0) for s in (1, -1)], 0.1, "strut")


def _revolved_parts(e, parts: Parts) -> None:
    from station import visual_craft
    visual_craft.hull(e, parts)


BUILDERS = {"cylinder": _revolved_parts, "revolved": _revolved_parts, "node": _revolved_parts,
            "box": _box_parts, "array_wing": _wing_parts, "panels": _panel_parts}


@functools.lru_cache(maxsize=512)
def visual_mesh(e) -> trimesh.Trimesh:
    """The element's visual mesh in SSACS at all joint angles zero (cached; do not modify it in place).
    face_role / face_shade (n_faces,) in metadata."""
    return build_in_ssacs(e, BUILDERS)


def build_in_ssacs(e, builders: dict) -> trimesh.Trimesh:
    """Build element e with builders[e.shape] in its local axes and place it in SSACS."""
    parts = Parts()
    builders[e.shape](e, parts)
    mesh = parts.mesh()
    T = np.eye(4)
    T[:3, :3] = R_ssacs_from_local(e.axis, e.normal)
    T[:3, 3] = e.center_m
    mesh.apply_transform(T)
    return mesh


__all__ = ["visual_mesh", "Parts", "lathe", "struts", "box", "sheet", "blanket", "port_ring", "direction",
           "MAST_M"]
