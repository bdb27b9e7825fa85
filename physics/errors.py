"""Errors caused by the user's input to the physics layer (a bad TLE, epoch or value)."""
from __future__ import annotations


class PhysicsInputError(ValueError):
    """One-line message: 'SOURCE: FIELD: problem'. main.py prints it and exits with 2."""

    is_user_error = True
