"""What the station is: frozen specs, element meshes, mass properties, ports, segments. No Panda3D."""
from station.loader import DEFAULT_PATH, load_station
from station.massprops import MassProperties, combine, from_mesh
from station.model import PortFrame, SegmentModel, StationModel, build_model
from station.spec import ElementSpec, PortSpec, StationFileError, StationSpec

__all__ = ["DEFAULT_PATH", "load_station", "build_model", "StationFileError", "MassProperties", "combine",
           "from_mesh", "PortFrame", "SegmentModel", "StationModel", "ElementSpec", "PortSpec", "StationSpec"]
