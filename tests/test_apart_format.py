"""The on-screen distance and speed texts (scenario/apart.py fmt_distance, fmt_speed): two significant
figures with the unit chosen by the rounded value, so no '1e+02 cm' is ever shown (the lesson's gap
passes 0.995-1.0 m about 34 s after release, just before the '1 m apart' caption)."""
import numpy as np

from scenario.apart import fmt_distance, fmt_speed


def test_unit_follows_the_rounded_value():
    assert fmt_distance(0.9951) == "1 m"
    assert fmt_distance(0.99707) == "1 m"
    assert fmt_distance(99.6) == "100 m"
    assert fmt_distance(999.6) == "1 km"
    assert fmt_distance(99_600.0) == "100 km"
    assert fmt_speed(0.996) == "1 m/s"


def test_usual_values():
    assert [fmt_distance(x) for x in (0.0, 0.042, 0.35, 1.7787, 48.0, 652.0, 1600.0, 240e3)] == \
        ["0 cm", "4.2 cm", "35 cm", "1.8 m", "48 m", "652 m", "1.6 km", "240 km"]
    assert fmt_speed(0.0301) == "3 cm/s" and fmt_speed(1.6) == "1.6 m/s"


def test_no_exponent_over_twelve_decades():
    for x in np.geomspace(1e-5, 1e7, 4001):
        for text in (fmt_distance(x), fmt_speed(x / 1e4)):
            assert "e+" not in text and "e-" not in text, (x, text)
