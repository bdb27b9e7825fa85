"""What each face of the station looks like: one palette for the renderer and the glTF export.

A face has a *role* (station/shapes.py and station/visual.py tag every part) and belongs to an element of
some kind and segment. `material_key` turns (kind, segment, element id, role) into a palette entry;
`PALETTE` gives its colour (RGB 0-1, before lighting), the renderer's specular strength (0-1) and the
glTF metallic/roughness factors. Colours are what photographs show (docs/render.md, "Colours").
"""
from __future__ import annotations

# key -> (rgb, specular strength (renderer), metallic, roughness (glTF PBR))
PALETTE = {
    "module": ((0.90, 0.90, 0.88), 0.35, 0.0, 0.6),      # MLI / beta cloth / MMOD panels: white
    "node": ((0.88, 0.88, 0.86), 0.35, 0.0, 0.6),
    "adapter": ((0.86, 0.86, 0.83), 0.35, 0.1, 0.5),
    "truss": ((0.55, 0.56, 0.58), 0.2, 0.6, 0.45),        # equipment inside the bays: grey
    "strut": ((0.80, 0.80, 0.78), 0.3, 0.5, 0.4),          # truss longerons and struts: light aluminium
    "radiator": ((0.95, 0.95, 0.95), 0.2, 0.0, 0.5),      # white radiator panels
    "saw": ((0.50, 0.34, 0.15), 0.5, 0.3, 0.35),          # US wing blanket: copper-gold Kapton
    "saw_seam": ((0.38, 0.26, 0.12), 0.3, 0.3, 0.5),      # the gaps between SAW panels
    "mast": ((0.62, 0.60, 0.55), 0.3, 0.5, 0.4),          # wing mast (FASTMast): light grey-beige
    "cells": ((0.09, 0.12, 0.33), 0.9, 0.3, 0.25),        # solar cells: dark blue, glossy
    "cells_seam": ((0.55, 0.56, 0.60), 0.3, 0.6, 0.4),    # frames between blue cell panels: grey
    "ring": ((0.62, 0.63, 0.66), 0.5, 0.8, 0.35),         # berthing/docking rings: bare metal
    "hatch": ((0.30, 0.31, 0.33), 0.2, 0.3, 0.6),         # port covers and hatches: dark grey
    "soyuz_mli": ((0.52, 0.55, 0.45), 0.2, 0.0, 0.8),     # Soyuz/Progress blankets: green-grey
    "dark": ((0.13, 0.13, 0.15), 0.4, 0.2, 0.5),          # Dragon trunk cells, black radiators, windows
    "gold": ((0.62, 0.48, 0.20), 0.6, 0.9, 0.35),         # gold MLI (Cygnus service module)
    "vehicle": ((0.80, 0.80, 0.78), 0.3, 0.2, 0.5),
    "robotics": ((0.82, 0.82, 0.80), 0.3, 0.2, 0.5),
    "payload": ((0.72, 0.72, 0.70), 0.25, 0.3, 0.5),
    "other": ((0.72, 0.72, 0.72), 0.25, 0.2, 0.5),
}
ROLES = ("body", "array", "seam", "mast", "strut", "ring", "hatch", "soyuz_mli", "dark", "gold", "radiator",
         "white", "cells")
_ROLE_KEYS = {"mast": "mast", "strut": "strut", "ring": "ring", "hatch": "hatch", "soyuz_mli": "soyuz_mli",
              "dark": "dark", "gold": "gold", "radiator": "radiator", "white": "module", "cells": "cells"}


def is_us_wing(kind: str, segment: str, element_id: str) -> bool:
    """The big US truss wings (kind "array", not the iROSA roll-outs) are drawn copper-gold."""
    return (not segment.upper().startswith("ROS")) and "array" in kind and not element_id.lower().startswith("irosa")


def material_key(kind: str, segment: str, element_id: str = "", role: str = "body") -> str:
    """Palette key of one face: the face's role first (array/seam/mast/...), then the element's kind."""
    kind, role = (kind or "other").lower(), str(role or "body").lower()
    if role in _ROLE_KEYS:
        return _ROLE_KEYS[role]
    if role in ("array", "seam") or "array" in kind or "solar" in kind:
        base = "saw" if is_us_wing(kind, segment, element_id) else "cells"
        return base + "_seam" if role == "seam" else base
    for key in ("radiator", "truss", "module", "node", "adapter", "vehicle", "robotics", "payload"):
        if key in kind:
            return key
    if kind == "airlock":
        return "module"
    return "other"
