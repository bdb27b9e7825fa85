"""Months to years of decay: mean elements, orbit-averaged drag, density and calibration (method in docs/decay.md)."""
