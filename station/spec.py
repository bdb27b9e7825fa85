"""What the station file says: frozen specs, and the one error class for a bad station file."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Mapping


class StationFileError(ValueError):
    """Bad station file. Message is one line: ``FILE: elements.<id>.<field>: problem``."""

    is_user_error = True


@dataclass(frozen=True)
class JointSpec:
    """A moving part: rotation about ``axis`` (unit, SSACS) through ``point_m`` (SSACS, m)."""

    id: str
    axis: tuple[float, float, float]
    point_m: tuple[float, float, float]
    default_deg: float
    notes: str = ""
    source: str = ""


@dataclass(frozen=True)
class PortSpec:
    """A docking/berthing port as a frame; its x axis points out of ``element``."""

    id: str
    element: str
    position_m: tuple[float, float, float]
    axis: str
    kind: str = ""
    mate: str | None = None
    estimated: bool = False
    source: str = ""


@dataclass(frozen=True)
class ResidualSpec:
    """Mass that launch masses omit, spread over elements in proportion to their mass_kg."""

    id: str
    segment: str
    mass_kg: float
    spread_over: tuple[str, ...]
    estimated: bool = True
    source: str = ""


@dataclass(frozen=True)
class ElementSpec:
    """One element as published. ``params`` holds the shape's extra numbers (profile_m, width_m, ...)."""

    id: str
    name: str
    segment: str
    kind: str
    mass_kg: float
    shape: str
    center_m: tuple[float, float, float]
    axis: str
    port: str
    source: str
    parent: str | None = None
    length_m: float | None = None
    diameter_m: float | None = None
    normal: str | None = None
    port_id: str | None = None
    joints: tuple[str, ...] = ()
    included_in_parent_mass: bool = False
    optional: bool = False
    estimated: bool = False
    mass_range_kg: tuple[float, float] | None = None
    mass_note: str = ""
    notes: str = ""
    params: tuple[tuple[str, object], ...] = ()
    label: str = ""            # short on-screen name ("Zvezda"); empty: `name`

    def param(self, name: str, default=None):
        return dict(self.params).get(name, default)

    @property
    def display_name(self) -> str:
        """What a viewer reads next to the element: its `label`, else its `name`."""
        return self.label or self.name


@dataclass(frozen=True)
class StationSpec:
    """The whole station file, validated."""

    path: str
    name: str
    configuration_date: str
    root: str
    interface_port: str
    elements: Mapping[str, ElementSpec] = field(hash=False)   # read-only mappings (MappingProxyType)
    ports: Mapping[str, PortSpec] = field(hash=False)
    joints: Mapping[str, JointSpec] = field(hash=False)
    residuals: Mapping[str, ResidualSpec] = field(hash=False)
