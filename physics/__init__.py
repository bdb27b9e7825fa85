"""physics: generic rigid bodies in Earth orbit (no ISS knowledge, no Panda3D). API: docs/physics.md."""
from physics.errors import PhysicsInputError
from physics.model import (AttitudeMode, Burn, DragShape, ForceModel, Latch, PortFrame, Pushers, Release,
                           RigidBody)
from physics.state import State, docked_state
from physics.timebase import Epoch
from physics.trajectory import Event, Trajectory


def simulate(*args, **kwargs):
    """physics.simulate.simulate (imported lazily to keep `import physics` light)."""
    from physics.simulate import simulate as _simulate
    return _simulate(*args, **kwargs)


__all__ = ["AttitudeMode", "Burn", "DragShape", "Epoch", "Event", "ForceModel", "Latch", "PhysicsInputError",
           "PortFrame", "Pushers", "Release", "RigidBody", "State", "Trajectory", "docked_state", "simulate"]
