"""Rewrite the 'allowed' column of docs/scenarios.md from the Key tables (scenario/schema.py).

    python docs/tools/scenario_ranges.py

tests/test_scenario_docs.py fails when the column and the code differ; this script makes them agree.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT))

from ensemble import schema as ensemble_schema  # noqa: E402
from scenario import environment, schema  # noqa: E402
from scenario.longterm import schema as lts  # noqa: E402

SECTIONS = {"top level": schema.TOP, "[time]": schema.TIME, "[orbit]": schema.ORBIT, "[station]": schema.STATION,
            "[release]": schema.RELEASE, "[release.pushers]": schema.PUSHERS, "[[burn]]": schema.BURN,
            "[forces]": schema.FORCES, "[environment]": environment.ENVIRONMENT,
            "[environment.atmosphere]": environment.ATMOSPHERE, "[[body]]": schema.BODY, "[[latch]]": schema.LATCH,
            "[[impulse]]": schema.IMPULSE, "[long_term]": lts.LONG_TERM, "[long_term.body.NAME]": lts.LT_BODY,
            "[[long_term.vehicle]]": lts.LT_VEHICLE, "[[long_term.reboost]]": lts.LT_REBOOST,
            "[ensemble]": ensemble_schema.ENSEMBLE}


def main() -> int:
    path = ROOT / "docs" / "scenarios.md"
    lines = path.read_text(encoding="utf-8").split("\n")
    spec, changed = None, 0
    for i, line in enumerate(lines):
        if line.startswith("### "):
            spec = SECTIONS.get(line[4:].strip())
        m = re.match(r"^\| `(\w+)` \|", line)
        if m and spec is not None and m.group(1) in spec:
            cells = line.split("|")
            new = " " + schema.allowed_text(m.group(1), spec[m.group(1)]) + " "
            if cells[4] != new:
                cells[4], changed = new, changed + 1
                lines[i] = "|".join(cells)
    path.write_text("\n".join(lines), encoding="utf-8")
    print(f"{changed} rows updated in {path.relative_to(ROOT)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
