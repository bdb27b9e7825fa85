"""TLE files as users bring them: CelesTrak's 3LE names ("0 NAME"), UTF-8 comments, and text that
is not a TLE file; every problem a one-line PhysicsInputError naming the file."""
from __future__ import annotations

from pathlib import Path

import pytest

from physics import PhysicsInputError
from physics.orbit import load_tle_file, parse_tle

ROOT = Path(__file__).resolve().parents[1]
LINES = [s for s in (ROOT / "assets" / "tles" / "iss_2022.tle").read_text().splitlines() if s[:2] in ("1 ", "2 ")]
L1, L2 = LINES[0], LINES[1]


def test_celestrak_3le_name_and_utf8_comment(tmp_path):
    p = tmp_path / "iss.tle"
    p.write_text(f"# sets from CelesTrak – 3LE format, epoch 2022‑02‑16\n0 ISS (ZARYA)\n{L1}\n{L2}\n", encoding="utf-8")
    (tle,) = load_tle_file(p)
    assert tle.name == "ISS (ZARYA)" and tle.satnum == "25544"


def test_file_that_is_not_text(tmp_path):
    p = tmp_path / "x.tle"
    p.write_bytes(b"\xff\xd8\xff\xe0 JFIF")
    with pytest.raises(PhysicsInputError) as exc:
        load_tle_file(p)
    assert str(exc.value).startswith(f"{p}: ") and "\n" not in str(exc.value)


def test_non_ascii_digit_in_a_tle_line_is_refused():
    """Python's \\d and int() accept Arabic-Indic digits; a TLE is ASCII only."""
    bad = L1[:20] + "\u0664" + L1[21:]          # ARABIC-INDIC DIGIT FOUR in the epoch field
    with pytest.raises(PhysicsInputError, match="non-ASCII"):
        parse_tle(bad, L2, "x.tle")


def test_missing_file_names_the_problem(tmp_path):
    with pytest.raises(PhysicsInputError, match="cannot read TLE file"):
        load_tle_file(tmp_path / "absent.tle")
