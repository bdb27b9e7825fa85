"""physics: generic rigid bodies in Earth orbit (no ISS knowledge, no Panda3D). API: docs/physics.md."""
from physics.errors import PhysicsInputError
from physics.model import (AttitudeMode, Burn, DragShape, ForceModel, Latch, Model, PortFrame, Pushers, Release,
                           RigidBody)
from physics.timeline import Options, Timeline
from physics.state import State, docked_state
from physics.timebase import Epoch
from physics.trajectory import Event, Trajectory
# Eager on purpose: the package attribute `simulate` must be the function; a lazy wrapper would be
# replaced by the submodule physics.simulate as soon as anything imports that module.
from physics.simulate import simulate  # noqa: E402


__all__ = ["AttitudeMode", "Burn", "DragShape", "Epoch", "Event", "ForceModel", "Latch", "PhysicsInputError",
           "Model", "Options", "PortFrame", "Pushers", "Release", "RigidBody", "State", "Timeline", "Trajectory",
           "docked_state", "simulate"]
