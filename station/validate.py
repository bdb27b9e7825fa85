"""Cross-reference checks on a parsed station: parents, cycles, ports, joints, residuals, masses."""
from __future__ import annotations

from typing import Callable

from station.spec import StationSpec

Fail = Callable[[str, str], None]


def check_references(spec: StationSpec, fail: Fail) -> None:
    """Raise (through ``fail(where, problem)``) on the first inconsistency."""
    _check_parents(spec, fail)
    _check_cycles(spec, fail)
    _check_ports(spec, fail)
    _check_joints(spec, fail)
    _check_residuals(spec, fail)
    _check_moved_masses(spec, fail)


def _check_parents(spec: StationSpec, fail: Fail) -> None:
    if spec.root not in spec.elements:
        fail("station.root", f"unknown element {spec.root!r}")
    for eid, e in spec.elements.items():
        if eid == spec.root:
            if e.parent is not None:
                fail(f"elements.{eid}.parent", "the root element (station.root) must not have a parent")
        elif e.parent is None:
            fail(f"elements.{eid}.parent", "missing (only station.root has no parent)")
        elif e.parent not in spec.elements:
            fail(f"elements.{eid}.parent", f"unknown element {e.parent!r}")
        elif e.parent == eid:
            fail(f"elements.{eid}.parent", "an element cannot be its own parent")
        elif spec.elements[e.parent].optional and not e.optional:
            fail(f"elements.{eid}.parent", f"{e.parent!r} is optional, so its children must be optional too")


def _check_cycles(spec: StationSpec, fail: Fail) -> None:
    for eid in spec.elements:
        chain, cur = [eid], spec.elements[eid].parent
        while cur is not None:
            if cur in chain:
                loop = " -> ".join(chain[chain.index(cur):] + [cur])
                fail(f"elements.{cur}.parent", f"attachment cycle {loop}")
            chain.append(cur)
            cur = spec.elements[cur].parent


def _check_ports(spec: StationSpec, fail: Fail) -> None:
    for pid, p in spec.ports.items():
        if p.element not in spec.elements:
            fail(f"ports.{pid}.element", f"unknown element {p.element!r}")
        if p.mate is not None and p.mate not in spec.elements:
            fail(f"ports.{pid}.mate", f"unknown element {p.mate!r}")
    if spec.interface_port not in spec.ports:
        fail("station.interface_port", f"unknown port {spec.interface_port!r}")
    port = spec.ports[spec.interface_port]
    a, b = port.element, port.mate
    if b is None:
        fail(f"ports.{port.id}.mate", "missing (the interface port must name the element on its other side)")
    if spec.elements[a].parent != b and spec.elements[b].parent != a:
        fail(f"ports.{port.id}.mate", f"{a!r} and {b!r} are not parent and child, so the port cuts nothing")
    for eid, e in spec.elements.items():
        if e.port_id is None:
            continue
        if e.port_id not in spec.ports:
            fail(f"elements.{eid}.port_id", f"unknown port {e.port_id!r}")
        if spec.ports[e.port_id].element not in (eid, e.parent):
            fail(f"elements.{eid}.port_id", f"port {e.port_id!r} is on neither this element nor its parent")


def _check_joints(spec: StationSpec, fail: Fail) -> None:
    for eid, e in spec.elements.items():
        for j in e.joints:
            if j not in spec.joints:
                fail(f"elements.{eid}.joints", f"unknown joint {j!r}")


def _check_residuals(spec: StationSpec, fail: Fail) -> None:
    for rid, r in spec.residuals.items():
        if r.segment not in ("ROS", "USOS"):
            fail(f"residuals.{rid}.segment", f"unknown segment {r.segment!r}")
        for eid in r.spread_over:
            if eid not in spec.elements:
                fail(f"residuals.{rid}.spread_over", f"unknown element {eid!r}")
            if spec.elements[eid].segment != r.segment or spec.elements[eid].optional:
                fail(f"residuals.{rid}.spread_over", f"{eid!r} is not a fixed {r.segment} element")
        if not r.spread_over or sum(spec.elements[e].mass_kg for e in r.spread_over) <= 0:
            fail(f"residuals.{rid}.spread_over", "needs elements with a positive total mass_kg")


def _check_moved_masses(spec: StationSpec, fail: Fail) -> None:
    moved: dict[str, float] = {}
    for e in spec.elements.values():
        if e.included_in_parent_mass:
            if e.parent is None:
                fail(f"elements.{e.id}.included_in_parent_mass", "the element has no parent")
            moved[e.parent] = moved.get(e.parent, 0.0) + e.mass_kg
    for pid, m in moved.items():
        if m > spec.elements[pid].mass_kg:
            fail(f"elements.{pid}.mass_kg", f"{spec.elements[pid].mass_kg:g} kg is less than the {m:g} kg of "
                 "children marked included_in_parent_mass")
