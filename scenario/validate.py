"""The one validator of scenario files: every section, typed.

The vocabulary is scenario/schema.py's `Key` tables (one source: the docs test reads the same
tables). Each table becomes a frozen dataclass generated from its Key table (`section_type`), so a
checked section is a typed value (`sc.time.duration_s`) that cannot be changed after the checks;
it is also a read-only Mapping (`sc.time["duration_s"]`, `dict(sc.time)`) for code written
against the old dicts. Every problem is one line, `FILE: key.path: problem`, raised before any
work; a user's string is shown escaped and shortened (never a raw newline or NUL).

Why dataclasses and not msgspec or pydantic (docs/design.md, "Scenario sections"): the checks
are ours anyway (physical ranges, one-line messages naming the user's key), a section takes
10-30 us and a whole bundled scenario loads in 0.4-1.8 ms (benchmarks/bench_scenario_validate.py;
pydantic: 3-6 us per section for types and bounds only, with its own messages to translate);
msgspec is not a dependency.
"""
from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from typing import Any

from fileio.text import shown
from scenario.errors import ScenarioError, suggest
from scenario.schema import REQUIRED, Key


class Section(Mapping):
    """Base of the generated section types: a frozen dataclass that reads like a dict."""

    __slots__ = ()

    def __getitem__(self, key: str) -> Any:
        if key not in self.__dataclass_fields__:
            raise KeyError(key)
        return getattr(self, key)

    def __iter__(self):
        return iter(self.__dataclass_fields__)

    def __len__(self) -> int:
        return len(self.__dataclass_fields__)

    def __repr__(self) -> str:
        return f"{type(self).__name__}({', '.join(f'{k}={v!r}' for k, v in self.items())})"

    def replace(self, **changes) -> "Section":
        """A copy with some values changed (the checks that fill in a value: resolved paths, defaults)."""
        return dataclasses.replace(self, **changes)

    def __reduce__(self):
        """Pickle by class name, field names and values (multiprocessing, Dask): the generated class
        is rebuilt on the other side from the same names, no spec needed."""
        return _rebuild, (type(self).__name__, tuple(self.__dataclass_fields__), tuple(self.values()))


_TYPES: dict[tuple, type] = {}
_PY = {"float": float, "int": int, "bool": bool, "str": str, "choice": str}


def section_type(spec: dict, name: str = "Section") -> type:
    """The frozen dataclass for a Key table (one per class name and set of keys, cached): a table
    that gains a section (register_section) gets a new type."""
    cls_name = "".join(p.capitalize() for p in name.replace(".", "_").split("_") if p.isidentifier()) + "Section"
    return _type(cls_name, tuple(spec), {key: _PY.get(k.kind, Any) for key, k in spec.items()})


def _type(cls_name: str, keys: tuple, types: dict) -> type:
    t = _TYPES.get((cls_name, keys))
    if t is None:
        t = dataclasses.make_dataclass(cls_name, [(k, types.get(k, Any)) for k in keys], bases=(Section,),
                                       frozen=True, eq=False, slots=True, namespace={"__module__": __name__})
        _TYPES[(cls_name, keys)] = t
    return t


def _rebuild(cls_name: str, keys: tuple, values: tuple) -> Section:
    return _type(cls_name, keys, {})(**dict(zip(keys, values)))


def check_table(raw, spec: dict, path: str, source: str, type_name: str | None = None) -> Section:
    """Validate one TOML table against its Key table: a typed section with the defaults filled in."""
    if not isinstance(raw, dict):
        raise ScenarioError(source, path, f"expected a table, got {shown(raw, 60)}")
    for key in raw:
        if key not in spec:
            raise ScenarioError(source, _join(path, key), "unknown key" + suggest(key, spec))
    out = {}
    for key, k in spec.items():
        if key in raw:
            out[key] = check_value(raw[key], k, _join(path, key), source)
        elif k.default is REQUIRED:
            raise ScenarioError(source, _join(path, key), "missing value (required)")
        elif k.kind == "table" and k.default is not None:
            out[key] = check_table(dict(k.default), k.spec, _join(path, key), source)
        else:
            out[key] = k.default
    return section_type(spec, type_name or path.split("[")[0] or "top")(**out)


def _join(path: str, key: str) -> str:
    return f"{path}.{key}" if path else key


def check_value(value: Any, k: Key, path: str, source: str) -> Any:
    """Type, shape and range check of one value; returns it as float/int/tuple/Section."""
    def fail(problem):
        raise ScenarioError(source, path, problem)

    if k.kind == "bool":
        if not isinstance(value, bool):
            fail(f"expected true or false, got {shown(value, 60)}")
        return value
    if k.kind in ("str", "choice"):
        return _string(value, k, fail)
    if k.kind in ("float", "int"):
        return _number(value, k, fail)
    if k.kind in ("vec2", "vec3", "vec4"):
        return _vector(value, int(k.kind[-1]), k, fail)
    if k.kind == "inertia":
        return _inertia(value, k, fail)
    if k.kind == "vehicles":
        if isinstance(value, bool):
            return value
        if isinstance(value, list) and len(value) <= k.max_len and all(isinstance(v, str) for v in value):
            return tuple(_string(v, Key("str", max_len=64), fail) for v in value)
        fail(f"expected true, false or a list of element ids, got {shown(value, 60)}")
    if k.kind == "table":
        return check_table(value, k.spec, path, source)
    if k.kind == "array":
        return _array(value, k, path, source)
    if k.kind == "named":
        return _named(value, k, path, source)
    raise AssertionError(k.kind)


def _string(value, k: Key, fail) -> str:
    if not isinstance(value, str):
        fail(f"expected a string, got {shown(value, 60)}")
    if len(value) > k.max_len:
        fail(f"{len(value):,} characters is too long (at most {k.max_len:,})")
    bad = next((ch for ch in value if not ch.isprintable() and not (k.multiline and ch in "\n\t\r")), None)
    if bad is not None:
        fail(f"{shown(value, 60)} holds a control character ({shown(bad)}); "
             + ("" if k.multiline else "one line, ") + "printable text only")
    if k.choices and value not in k.choices:
        fail(f"{shown(value, 60)} is not one of {', '.join(k.choices)}" + suggest(value, k.choices))
    return value


def _number(value, k: Key, fail):
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        fail(f"expected a number, got {shown(value, 60)}")
    if k.kind == "int" and not isinstance(value, int):
        fail(f"expected a whole number, got {shown(value, 60)}")
    if not math.isfinite(value):
        fail(f"expected a finite number, got {value!r}")
    if k.low is not None and (value < k.low or (k.low_open and value == k.low)):
        fail(f"{value:g} is too small (must be {'>' if k.low_open else '>='} {k.low:g})")
    if k.high is not None and value > k.high:
        fail(f"{value:g} is too large (must be <= {k.high:g})")
    return int(value) if k.kind == "int" else float(value)


def _vector(value, n: int, k: Key, fail) -> tuple:
    ok = isinstance(value, list) and len(value) == n and all(
        isinstance(x, (int, float)) and not isinstance(x, bool) and math.isfinite(x) for x in value)
    if not ok:
        fail(f"expected a list of {n} numbers (finite), got {shown(value, 60)}")
    v = tuple(float(x) for x in value)
    norm = math.hypot(*v)            # no overflow for 1e300 components
    if k.norm_high is not None and norm > k.norm_high:
        fail(f"length {norm:g} is too large (must be <= {k.norm_high:g})")
    if k.nonzero and norm < 1e-12:
        fail("the zero vector has no direction")
    return v


def _inertia(value, k: Key, fail) -> tuple:
    if isinstance(value, list) and len(value) == 3 and all(isinstance(r, list) for r in value):
        rows = tuple(_vector(r, 3, Key("vec3"), fail) for r in value)
    else:
        diag = _vector(value, 3, Key("vec3"), lambda p: fail("expected [Ixx, Iyy, Izz] or a 3x3 list of lists"))
        rows = ((diag[0], 0.0, 0.0), (0.0, diag[1], 0.0), (0.0, 0.0, diag[2]))
    big = max(abs(x) for r in rows for x in r)
    if k.norm_high is not None and big > k.norm_high:
        fail(f"component {big:g} is too large (each must be <= {k.norm_high:g})")
    return rows


def _array(raw, k: Key, path: str, source: str) -> tuple:
    if not isinstance(raw, list):
        raise ScenarioError(source, path, f"expected an array of tables ([[{path}]]), got {shown(raw, 60)}")
    if len(raw) > k.max_len:
        raise ScenarioError(source, path, f"{len(raw):,} entries is too many (at most {k.max_len:,})")
    return tuple(check_table(item, k.spec, f"{path}[{i}]", source) for i, item in enumerate(raw))


def _named(raw, k: Key, path: str, source: str) -> dict:
    """A table of NAME = value (choices) or [NAME] sub-tables (spec); names are checked by the caller."""
    if not isinstance(raw, dict):
        raise ScenarioError(source, path, f"expected a table of NAME = ..., got {shown(raw, 60)}")
    if len(raw) > k.max_len:
        raise ScenarioError(source, path, f"{len(raw):,} entries is too many (at most {k.max_len:,})")
    if k.spec is not None:      # [PATH.NAME] tables: one type per PATH (e.g. LongTermBodySection)
        return {name: check_table(v, k.spec, _join(path, name), source, path) for name, v in raw.items()}
    item = Key("choice", choices=k.choices)
    return {name: check_value(v, item, _join(path, name), source) for name, v in raw.items()}


def check_document(raw, spec: dict, source: str) -> Section:
    """The whole scenario document (schema.DOCUMENT): every section checked, typed."""
    return check_table(raw, spec, "", source)
