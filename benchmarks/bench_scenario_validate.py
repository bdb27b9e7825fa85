"""Validating scenario sections: the project's one validator (frozen dataclasses generated from the
Key tables, scenario/validate.py) against pydantic v2 models built from the same tables, and the
whole load of each bundled scenario (prints figures; not a test).

    python benchmarks/bench_scenario_validate.py
"""
from __future__ import annotations

import sys
import timeit
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import scenario  # noqa: E402
from scenario import schema  # noqa: E402
from scenario.validate import check_table  # noqa: E402

BODY = {"name": "A", "mass_kg": 20000.0, "box_m": [10.0, 4.0, 4.0], "cd": 2.2, "r_lvlh_m": [1.0, 2.0, 3.0]}
TIME = {"epoch_utc": "2022-03-05T12:00:00Z", "duration_s": 600.0, "output_interval_s": 1.0}


def per_call_us(fn, n: int = 20000) -> float:
    return min(timeit.repeat(fn, number=n, repeat=3)) / n * 1e6


def pydantic_model(name: str, spec: dict):
    """A pydantic model with the same types and numeric bounds (vectors as fixed-length tuples)."""
    from typing import Optional
    from pydantic import ConfigDict, Field, create_model
    kinds = {"float": float, "int": int, "bool": bool, "str": str, "choice": str,
             "vec2": tuple[float, float], "vec3": tuple[float, float, float],
             "vec4": tuple[float, float, float, float]}
    fields = {}
    for key, k in spec.items():
        typ = kinds.get(k.kind, object)
        bounds = {}
        if k.kind in ("float", "int"):
            if k.low is not None:
                bounds["gt" if k.low_open else "ge"] = k.low
            if k.high is not None:
                bounds["le"] = k.high
        default = ... if k.default is schema.REQUIRED else k.default
        fields[key] = (Optional[typ] if k.default is None else typ, Field(default, allow_inf_nan=False, **bounds)
                       if k.kind in ("float",) else Field(default, **bounds))
    return create_model(name, __config__=ConfigDict(extra="forbid", frozen=True, strict=True), **fields)


def main() -> None:
    ours_time = per_call_us(lambda: check_table(TIME, schema.TIME, "time", "b.toml"))
    ours_body = per_call_us(lambda: check_table(BODY, schema.BODY, "body[0]", "b.toml"))
    print(f"scenario/validate.py  [time] {ours_time:6.1f} us   [[body]] {ours_body:6.1f} us")
    try:
        T, B = pydantic_model("Time", schema.TIME), pydantic_model("Body", schema.BODY)
        body = {**BODY, "box_m": tuple(BODY["box_m"]), "r_lvlh_m": tuple(BODY["r_lvlh_m"])}
        print(f"pydantic v2           [time] {per_call_us(lambda: T(**TIME)):6.1f} us   "
              f"[[body]] {per_call_us(lambda: B(**body)):6.1f} us  (types and bounds only: no one-line "
              "FILE: key: problem messages, no vector lengths or control-character checks)")
    except ImportError:
        print("pydantic not installed")
    print("msgspec: not a dependency (not installed)")
    for name in scenario.bundled_names():
        path = scenario.loader.resolve(name)
        ms = min(timeit.repeat(lambda: scenario.load(path), number=20, repeat=3)) / 20 * 1e3
        print(f"  load {name:<32} {ms:6.2f} ms (read, parse, validate, cross-checks)")


if __name__ == "__main__":
    main()
