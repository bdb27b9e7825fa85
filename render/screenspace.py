"""Screen-space overlay logic (pure numpy, no Panda3D): projecting the scene onto the image, finding a
pixel on each segment to anchor its label, laying labels out clear of each other and of the text boxes,
and the scale bar's length.

Pixels: x to the right, y down, origin at the image's top-left corner (as in a PNG).
A label's anchor is a point *inside* one of its segment's elements (on one of its box's centre lines,
kept where a ray-parity test puts it inside the mesh), seen from the camera without any box of the
other segment's elements in front of it: the projection
of an interior point of a solid lies inside the solid's silhouette, so the anchor pixel lies on the
segment as drawn, from every camera, whatever the mesh details (tests/test_labels.py renders the masks).
"""
from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

# Elements with a solid hull to anchor on (a lattice truss has none; wings and radiators are the fallback).
SOLID_KINDS = ("module", "node", "vehicle", "adapter", "airlock")
PLATE_KINDS = ("array", "radiator")   # slabs: their mid-plane is inside them too (the fallback anchors)
AXIS_FRACTIONS = np.linspace(0.12, 0.88, 9)   # candidate points along each centre line of an element's box
MIN_THICK_PX = (4.0, 1.5)   # the element must be this wide on screen around the anchor (then, far: 1.5)
# Text boxes of the three front ends, as fractions of the image (x0, y0, x1, y1): the HUD / title at the
# top left, the status / distance block at the top right, the caption band (and the app's slider) at the
# bottom. Labels never go there.
# (record's caption: up to three lines at 1/20 of the height over a 4 % margin reach 0.70; the presenter's
# two-line caption 0.76; the app's slider and chapter strip 0.88; the video HUD's attitude line,
# "Russian: attitude held by thrusters (assumed)" at 1/32 of the height, reaches 0.43 of the width)
KEEPOUT = ((0.0, 0.0, 0.45, 0.24), (0.58, 0.0, 1.0, 0.24), (0.0, 0.70, 1.0, 1.0))
LEGEND_BOX = (0.015, 0.485, 0.30, 0.685)      # the flight arrow and the scale bar, above the caption band


@dataclass(frozen=True)
class Projector:
    """A CameraPose (eye, target, up, horizontal fov) on a W x H image, as Panda3D's lens draws it."""
    eye: np.ndarray
    right: np.ndarray
    up: np.ndarray
    fwd: np.ndarray
    focal_px: float            # pixels per unit of (lateral / depth)
    size: tuple[int, int]

    @classmethod
    def of(cls, pose, size) -> "Projector":
        eye = np.asarray(pose.eye_m, float)
        f = np.asarray(pose.target_m, float) - eye
        f = f / max(float(np.linalg.norm(f)), 1e-12)
        up = np.asarray(pose.up, float)
        r = np.cross(f, up)
        if np.linalg.norm(r) < 1e-9:            # looking straight along "up": any perpendicular will do
            r = np.cross(f, [1.0, 0.0, 0.0] if abs(f[0]) < 0.9 else [0.0, 1.0, 0.0])
        r = r / np.linalg.norm(r)
        w = int(size[0])
        return cls(eye, r, np.cross(r, f), f, (w / 2) / math.tan(math.radians(pose.fov_deg) / 2),
                   (w, int(size[1])))

    def project(self, p_m) -> tuple[np.ndarray, np.ndarray]:
        """(N,3) scene points -> ((N,2) pixels, (N,) depth in m along the view axis; <= 0 behind)."""
        d = np.atleast_2d(np.asarray(p_m, float)) - self.eye
        z = d @ self.fwd
        zs = np.where(z > 1e-6, z, 1e-6)
        w, h = self.size
        return np.stack([w / 2 + self.focal_px * (d @ self.right) / zs,
                         h / 2 - self.focal_px * (d @ self.up) / zs], -1), z

    def px_per_m(self, depth_m: float) -> float:
        return self.focal_px / max(depth_m, 1e-6)


class Elements:
    """Every element's box in its body's frame (origin at the body's CoM), built once from the meshes'
    bounds (any mesh detail: only the bounds are used)."""

    def __init__(self, segments: dict, com_ssacs: dict):
        rows = []
        for body, seg in segments.items():
            c = np.asarray(com_ssacs.get(body, np.zeros(3)), float)
            for eid, mesh in seg.meshes.items():
                b = np.asarray(mesh.bounds, float)
                rows.append((body, eid, str(seg.kinds.get(eid, "")), b[0] - c, b[1] - c))
        self.body = np.array([r[0] for r in rows], object)
        self.eid = [r[1] for r in rows]
        self.kind = [r[2] for r in rows]
        self.lo = np.array([r[3] for r in rows]).reshape(-1, 3)
        self.hi = np.array([r[4] for r in rows]).reshape(-1, 3)
        self.solid = np.array([any(k in kind for k in SOLID_KINDS) for kind in self.kind], bool)
        self.plate = np.array([any(k in kind for k in PLATE_KINDS) for kind in self.kind], bool)
        ext = self.hi - self.lo
        self.thick_m = np.sort(ext, axis=1)[:, 1]       # the middle extent: a module's diameter
        # candidate anchor points: on the box's three centre lines, kept where they are inside the mesh
        # (a module's box also holds its solar arrays: its longest centre line may run through space)
        pts, owner = [], []
        meshes = [segments[b].meshes[e] for b, e in zip(self.body, self.eid)]
        for r, mesh in enumerate(meshes):
            if not (self.solid[r] or self.plate[r]):
                continue
            c = (self.lo[r] + self.hi[r]) / 2
            line = np.repeat(c[None], 3 * len(AXIS_FRACTIONS), 0)
            for a in range(3):
                line[a * len(AXIS_FRACTIONS):(a + 1) * len(AXIS_FRACTIONS), a] = self.lo[r, a] + AXIS_FRACTIONS * ext[r, a]
            com = np.asarray(com_ssacs.get(self.body[r], np.zeros(3)), float)
            ok = inside_mesh(np.asarray(mesh.triangles, float) - com, line)
            pts.append(line[ok]); owner.extend([r] * int(ok.sum()))
        self.pts = np.concatenate(pts) if pts else np.zeros((0, 3))      # (N,3) body frame
        self.owner = np.array(owner, int)
        self.centre_dist = np.linalg.norm(self.pts - ((self.lo + self.hi) / 2)[self.owner], axis=1)
        self.eids = np.array(self.eid, object)
        self._sel: dict[bytes, np.ndarray] = {}
        self._of: dict[str, np.ndarray] = {}

    def selection(self, rows) -> np.ndarray:
        """(N,) bool: the candidate points of elements `rows` (cached: the same few sets every frame)."""
        key = np.asarray(rows, int).tobytes()
        if key not in self._sel:
            self._sel[key] = np.isin(self.owner, rows)
        return self._sel[key]

    def index(self, eid: str) -> int:
        return self.eid.index(eid)

    def of(self, body: str) -> np.ndarray:
        if body not in self._of:
            self._of[body] = np.nonzero(self.body == body)[0]
        return self._of[body]


RAY_DIR = np.array([0.5377, 0.8261, 0.1675]) / np.linalg.norm([0.5377, 0.8261, 0.1675])   # off every axis


def inside_mesh(tris: np.ndarray, pts: np.ndarray) -> np.ndarray:
    """(P,) True where a point is inside the closed triangle mesh (T,3,3): an odd number of crossings of
    one ray (Moller-Trumbore, all triangles at once)."""
    if len(tris) == 0 or len(pts) == 0:
        return np.zeros(len(pts), bool)
    v0, e1, e2 = tris[:, 0], tris[:, 1] - tris[:, 0], tris[:, 2] - tris[:, 0]
    pvec = np.cross(RAY_DIR, e2)
    det = np.einsum("tj,tj->t", e1, pvec)
    good = np.abs(det) > 1e-12
    v0, e1, e2, pvec, inv = v0[good], e1[good], e2[good], pvec[good], 1.0 / det[good]
    out = np.zeros(len(pts), bool)
    for k, p in enumerate(pts):
        tvec = p - v0
        u = np.einsum("tj,tj->t", tvec, pvec) * inv
        q = np.cross(tvec, e1)
        v = (q @ RAY_DIR) * inv
        t = np.einsum("tj,tj->t", e2, q) * inv
        out[k] = int(np.count_nonzero((u >= 0) & (v >= 0) & (u + v <= 1) & (t > 0))) % 2 == 1
    return out


def to_scene(points_body: np.ndarray, body: str, snap) -> np.ndarray:
    i = snap.body_names.index(body)
    return np.asarray(points_body, float) @ snap.R_scene_from_body[i].T + snap.pos_scene_m[i]


def corners(lo: np.ndarray, hi: np.ndarray) -> np.ndarray:
    """(n*8, 3) the corners of n boxes."""
    sel = np.array([[a, b, c] for a in (0, 1) for b in (0, 1) for c in (0, 1)], bool)   # (8,3)
    return np.where(sel[None], hi[:, None, :], lo[:, None, :]).reshape(-1, 3)


def blocked_by(eye: np.ndarray, points: np.ndarray, els: Elements, snap, bodies=None) -> np.ndarray:
    """(E, K) True where the straight line from the eye to point k passes through element e's box
    (only the boxes of `bodies`, default all; the other rows stay False)."""
    out = np.zeros((len(els.eid), len(points)), bool)
    for body in (set(els.body) if bodies is None else bodies):
        rows = els.of(body)
        i = snap.body_names.index(body)
        R, p0 = snap.R_scene_from_body[i], snap.pos_scene_m[i]
        o = (eye - p0) @ R                                   # into the body's frame
        d = (np.asarray(points) - p0) @ R - o                # (K,3)
        d = np.where(np.abs(d) < 1e-12, 1e-12, d)
        lo, hi = els.lo[rows][:, None, :], els.hi[rows][:, None, :]
        t1, t2 = (lo - o) / d[None], (hi - o) / d[None]      # (B,K,3)
        near = np.minimum(t1, t2).max(-1)
        far = np.maximum(t1, t2).min(-1)
        out[rows] = (near <= far) & (far > 0.0) & (near < 0.999)
    return out


@dataclass(frozen=True)
class Anchor:
    body: str
    eid: str                   # the element the anchor point is in
    px: np.ndarray             # (2,) pixel
    bbox: tuple[float, float, float, float]   # the segment's on-screen box (x0, y0, x1, y1), clipped
    point_body: np.ndarray | None = None      # (3,) the anchor point in its body's frame (labels follow it)


def segment_bbox(proj: Projector, els: Elements, body: str, snap):
    """The segment's on-screen bounding box from its elements' box corners (None: off screen)."""
    rows = els.of(body)
    if len(rows) == 0:
        return None
    px, z = proj.project(to_scene(corners(els.lo[rows], els.hi[rows]), body, snap))
    if not (z > 0).any():
        return None
    px = px[z > 0]
    w, h = proj.size
    x0, y0 = np.clip(px.min(0), 0, (w, h))
    x1, y1 = np.clip(px.max(0), 0, (w, h))
    return (float(x0), float(y0), float(x1), float(y1)) if x1 > x0 and y1 > y0 else None


def _candidates(proj: Projector, els: Elements, rows: np.ndarray, snap, margin_px: float,
                min_px: float = MIN_THICK_PX[0]):
    """Anchor points inside elements `rows` (one body): (points scene (N,3), px (N,2), element row (N,),
    distance to the element's centre (N,), ok (N,): in front, on screen, element wide enough)."""
    sel = els.selection(rows)
    owner = els.owner[sel]
    if len(owner) == 0:
        z0 = np.zeros(0)
        return np.zeros((0, 3)), np.zeros((0, 2)), owner, z0, z0.astype(bool)
    pts = to_scene(els.pts[sel], els.body[owner[0]], snap)
    px, z = proj.project(pts)
    w, h = proj.size
    ok = (z > 0.5) & (px[:, 0] > margin_px) & (px[:, 0] < w - margin_px) & (px[:, 1] > margin_px) \
        & (px[:, 1] < h - margin_px) & (els.thick_m[owner] * proj.focal_px / np.maximum(z, 1e-6) >= min_px)
    return pts, px, owner, els.centre_dist[sel], ok


def segment_anchor(proj: Projector, els: Elements, body: str, snap, prefer: str | None = None,
                   margin_px: float = 6.0, bbox=None) -> Anchor | None:
    """A visible pixel on `body` near the middle of its on-screen box, or None (off screen, hidden, tiny).

    Candidates: points on the main axis of the segment's solid elements (modules, nodes, vehicles, ...),
    else (none of them in view) of its wings and radiators. The line of sight to the point must miss
    every box of the other bodies. prefer: the element used last frame, kept while it qualifies (the
    label does not hop between modules as the camera moves)."""
    bbox = segment_bbox(proj, els, body, snap) if bbox is None else bbox
    if bbox is None:
        return None
    rows = els.of(body)
    plates = els.plate[rows]
    for min_px in MIN_THICK_PX:            # a station seen from afar: its modules are only 2-3 px wide
        for sel in (els.solid[rows], plates):
            a = _best_anchor(proj, els, body, rows[sel], snap, bbox, prefer, margin_px, min_px) if sel.any() else None
            if a is not None:
                return a
    return None


def _best_anchor(proj, els, body, rows, snap, bbox, prefer, margin_px, min_px) -> Anchor | None:
    """The candidate nearest the box's middle whose line of sight no other body's box crosses; tested
    in order of that score, a batch at a time (the first batch nearly always has one: ~1 ms a label)."""
    pts, px, owner, _, ok = _candidates(proj, els, rows, snap, margin_px, min_px)
    if not ok.any():
        return None
    centre = np.array([(bbox[0] + bbox[2]) / 2, (bbox[1] + bbox[3]) / 2])
    score = np.linalg.norm(px - centre, axis=1) * np.where(els.eids[owner] == prefer, 0.6, 1.0)
    order = np.nonzero(ok)[0][np.argsort(score[ok], kind="stable")]
    others = [b for b in set(els.body) if b != body]
    for i in range(0, len(order), 24):
        batch = order[i:i + 24]
        free = ~blocked_by(proj.eye, pts[batch], els, snap, others).any(0)
        if free.any():
            k = int(batch[np.argmax(free)])
            return Anchor(body, els.eid[owner[k]], px[k], bbox, els.pts[els.selection(rows)][k])
    return None


def element_anchors(proj: Projector, els: Elements, rows, snap, margin_px: float = 6.0, batch: int = 4) -> dict:
    """{element row: (2,) pixel} for each of `rows` seen on screen: its most central point (on screen,
    wide enough) with no other element's box in front of it. Points are tested `batch` per element at
    a time, most central first, until each element has one (usually in the first round)."""
    out = {}
    for body in set(els.body[list(rows)]):
        sub = np.array([r for r in rows if els.body[r] == body], int)
        pts, px, owner, mid, ok = _candidates(proj, els, sub, snap, margin_px)
        queues = {int(r): idx[np.argsort(mid[idx], kind="stable")]
                  for r in sub if len(idx := np.nonzero(ok & (owner == r))[0])}
        start = 0
        while queues:
            pick = np.concatenate([q[start:start + batch] for q in queues.values()])
            if len(pick) == 0:
                break
            blk = blocked_by(proj.eye, pts[pick], els, snap)            # (E, n)
            blk[owner[pick], np.arange(len(pick))] = False               # its own box does not hide it
            for k in pick[~blk.any(0)]:
                out.setdefault(int(owner[k]), px[k])                     # the most central free one
            queues = {r: q for r, q in queues.items() if r not in out and len(q) > start + batch}
            start += batch
    return out


# ---------------------------------------------------------------- layout
def overlaps(a, b, pad: float = 0.0) -> bool:
    return a[0] < b[2] + pad and b[0] < a[2] + pad and a[1] < b[3] + pad and b[1] < a[3] + pad


def keepout_px(size, rects=KEEPOUT) -> list[tuple[float, float, float, float]]:
    w, h = size
    return [(r[0] * w, r[1] * h, r[2] * w, r[3] * h) for r in rects]


DIRECTIONS = ((-1, -1), (1, -1), (-1, 1), (1, 1), (0, -1), (0, 1), (-1, 0), (1, 0))


def place_label(anchor_px, box_wh, taken: list, size, avoid=(), reach=(0.07, 0.13, 0.2, 0.3, 0.42),
                prefer_slot: int | None = None, others_px=()):
    """(x0, y0, x1, y1, slot) for a label box of box_wh pixels near anchor_px, or None.

    Tries 8 directions at growing leader lengths (fractions of the image height); a box must stay inside
    the image and off every rectangle in `taken` (other labels, keep-out zones). `avoid` boxes (the other
    segment on screen) are allowed but cost: a label is not parked on the segment it does not name.
    `others_px`: where the other segments are on screen; a label leaning towards one costs (`_which_cost`),
    so each label sits on the far side of its own segment, where it cannot be read as the other's.
    The slot used last frame is kept while it is free (no flicker). All slots at once (numpy)."""
    w, h = size
    bw, bh = box_wh
    d = np.array(DIRECTIONS, float)                                      # (8,2)
    L = np.asarray(reach, float)[:, None, None] * h                      # (R,1,1)
    k = np.where((d[:, 0] != 0) & (d[:, 1] != 0), 0.8, 1.0)[:, None]     # diagonals a little shorter
    c = np.asarray(anchor_px, float) + L * d * k                         # (R,8,2) leader ends
    x0 = np.where(d[:, 0] == 0, c[..., 0] - bw / 2, np.where(d[:, 0] > 0, c[..., 0], c[..., 0] - bw))
    y0 = np.where(d[:, 1] == 0, c[..., 1] - bh / 2, np.where(d[:, 1] > 0, c[..., 1], c[..., 1] - bh))
    boxes = np.stack([x0, y0, x0 + bw, y0 + bh], -1).reshape(-1, 4)     # slot = reach index * 8 + direction
    ok = (boxes[:, 0] >= 4) & (boxes[:, 1] >= 4) & (boxes[:, 2] <= w - 4) & (boxes[:, 3] <= h - 4)
    if len(taken):
        t = np.asarray(taken, float)[None]                               # (1,T,4)
        b = boxes[:, None]
        hit = (b[..., 0] < t[..., 2] + 4) & (t[..., 0] < b[..., 2] + 4) & (b[..., 1] < t[..., 3] + 4) \
            & (t[..., 1] < b[..., 3] + 4)
        ok &= ~hit.any(1)
    if not ok.any():
        return None
    cost = np.repeat(L.ravel(), len(DIRECTIONS)).astype(float)
    for a in avoid:
        ov = np.clip(np.minimum(boxes[:, 2], a[2]) - np.maximum(boxes[:, 0], a[0]), 0, None) \
            * np.clip(np.minimum(boxes[:, 3], a[3]) - np.maximum(boxes[:, 1], a[1]), 0, None)
        cost += ov / max(bh, 1.0) * 2.0
    if prefer_slot is not None and 0 <= prefer_slot < len(cost):
        cost[prefer_slot] *= 0.5
    cost += _which_cost(anchor_px, boxes, np.tile(d, (len(reach), 1)), others_px, h)
    i = int(np.argmin(np.where(ok, cost, np.inf)))
    return (*(float(v) for v in boxes[i]), i)


TOWARDS_COST_H = 0.25   # leaning straight at the other segment costs as much as a leader 0.25 image heights longer
NEARER_OTHER = 1.5      # a box this much nearer another segment than its own anchor reads as that one's label
MIN_APART_H = 0.05      # segments closer than this on screen (a far view): direction cannot tell them apart


def box_distance(boxes: np.ndarray, p) -> np.ndarray:
    """(N,) distance from point p to each (N,4) box (0 inside)."""
    dx = np.maximum(np.maximum(boxes[:, 0] - p[0], p[0] - boxes[:, 2]), 0.0)
    dy = np.maximum(np.maximum(boxes[:, 1] - p[1], p[1] - boxes[:, 3]), 0.0)
    return np.hypot(dx, dy)


def _which_cost(anchor_px, boxes: np.ndarray, dirs: np.ndarray, others_px, h: float) -> np.ndarray:
    """(N,) extra cost of each candidate box for telling which segment it names: leaning towards another
    segment (cosine of the leader direction with the way to it, TOWARDS_COST_H) and, prohibitive, a box
    nearer the other segment than NEARER_OTHER times its own anchor."""
    a = np.asarray(anchor_px, float)
    extra = np.zeros(len(boxes))
    u = dirs / np.linalg.norm(dirs, axis=1, keepdims=True)
    for p in others_px:
        p = np.asarray(p, float)
        gap = float(np.linalg.norm(p - a))
        if gap < MIN_APART_H * h:
            continue
        extra += TOWARDS_COST_H * h * np.clip(u @ ((p - a) / gap), 0.0, None)
        nearer = box_distance(boxes, p) * NEARER_OTHER < box_distance(boxes, a)
        extra += np.where(nearer, 2.0 * h, 0.0)
    return extra


def leader_end(box, anchor_px) -> np.ndarray:
    """The point of the box's edge nearest the anchor (where the leader line meets the label)."""
    return np.array([np.clip(anchor_px[0], box[0], box[2]), np.clip(anchor_px[1], box[1], box[3])])


# ---------------------------------------------------------------- scale bar and flight arrow
def nice_length_m(px_per_m: float, target_px: float) -> float:
    """1, 2 or 5 x 10^k metres whose bar is closest to target_px long (never longer than 1.6 x)."""
    raw = target_px / max(px_per_m, 1e-12)
    k = math.floor(math.log10(raw))
    options = [m * 10.0 ** e for e in (k - 1, k, k + 1) for m in (1, 2, 5)]
    ok = [x for x in options if x * px_per_m <= 1.6 * target_px] or [min(options)]
    return min(ok, key=lambda x: abs(math.log(x * px_per_m / target_px)))


def length_text(m: float) -> str:
    if m >= 1000:
        return f"{m / 1000:g} km"
    if m >= 1:
        return f"{m:g} m"
    return f"{m * 100:g} cm"


def flight_direction_px(proj: Projector, at_m: np.ndarray, along_m: np.ndarray) -> tuple[np.ndarray, float]:
    """(unit 2-vector on screen, fraction of the direction lying across the view) of a scene direction
    drawn at a point. fraction ~ 0: the flight direction points at (or away from) the viewer."""
    along = np.asarray(along_m, float) / max(float(np.linalg.norm(along_m)), 1e-12)
    s = np.array([along @ proj.right, -(along @ proj.up)])
    n = float(np.linalg.norm(s))
    return (s / n if n > 1e-9 else np.array([1.0, 0.0])), n
