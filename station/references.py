"""Published and reference figures the model is compared with (copied from ../shared/reference).

Every entry names its source; "reference model" entries are the compiler's own rigid-body ESTIMATE in
iss_configuration.md section 4.3(b), not measurements.
"""
from __future__ import annotations

import numpy as np

E6 = 1e6

NASA_TOTAL_MASS_KG = 419_725     # NASA "ISS Facts and Figures" (925,335 lb), undated, pre-Nauka/Prichal
RECOMMENDED_MASS_KG = {False: 435_000, True: 475_880}   # iss_configuration.md 4.1 ESTIMATE, w/o and with vehicles

JEOD = {  # NASA JEOD verif/SIM_dyncomp/Modified_data/mass.py set_mass_iss(): 400 t, pre-Nauka, config not stated
    "mass_kg": 400_000.0,
    "com_m": np.array([-3.0, -1.5, 4.0]),
    "inertia_kgm2": np.array([[102.00, -6.96, -5.48], [-6.96, 91.00, 0.59], [-5.48, 0.59, 164.00]]) * E6,
    "area_m2": 1400.0,   # JEOD drag: Cd = 2.0, A = 1,400 m^2
    "source": "NASA JEOD set_mass_iss() (400 t, pre-Nauka)",
}

# Frontal area ranges, ESTIMATE from geometry (iss_configuration.md 6.2): whole station in +XVV from ~700 m^2
# (arrays feathered, radiators edge-on) to ~3,500 m^2 (everything face-on); ROS ~200-300 m^2.
FRONTAL_AREA_RANGE_M2 = {"whole": (700.0, 3500.0), "ROS": (200.0, 300.0)}

_MODEL_SRC = "reference model, iss_configuration.md 4.3(b) (ESTIMATE)"


def _t(xx, yy, zz, xy, xz, yz):
    return np.array([[xx, xy, xz], [xy, yy, yz], [xz, yz, zz]]) * E6


# (segment, vehicles aboard) -> figures of the reference's rigid-body model
REFERENCE_MODEL = {
    ("whole", True): dict(mass_kg=475_880, com_m=(-2.90, -0.84, 3.58), inertia_kgm2=_t(108.45, 86.09, 177.87, 2.33, 5.26, 1.52)),
    ("whole", False): dict(mass_kg=435_000, com_m=(-2.47, -0.92, 3.38), inertia_kgm2=_t(106.53, 64.55, 158.13, 2.15, 5.95, 1.60)),
    ("ROS", True): dict(mass_kg=100_952, com_m=(-22.79, 0.0, 6.56), inertia_kgm2=_t(3.75, 9.94, 6.37, 0.0, -1.01, 0.0)),
    ("ROS", False): dict(mass_kg=79_572, com_m=(-22.29, 0.0, 7.05), inertia_kgm2=_t(2.19, 5.46, 3.43, 0.0, 0.06, 0.0)),
    ("USOS", True): dict(mass_kg=374_928, com_m=(2.45, -1.07, 2.78), inertia_kgm2=_t(103.47, 24.36, 120.75, 0.18, -1.33, 1.84)),
    ("USOS", False): dict(mass_kg=355_428, com_m=(1.97, -1.13, 2.56), inertia_kgm2=_t(102.94, 19.53, 116.37, 0.38, -1.19, 1.93)),
}
REFERENCE_MODEL_SOURCE = _MODEL_SRC
