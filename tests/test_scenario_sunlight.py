"""clip-2022: the release and the close-up minutes after it happen in sunlight (the video's shots),
on 5 March 2022. Shadow from physics.ephemeris.shadow_fraction (conical Earth shadow) along the
scenario's own orbit (its TLE propagated with SGP4, as scenario.prepare does)."""
from __future__ import annotations

import numpy as np

import scenario
from physics import orbit as po
from physics.ephemeris import shadow_fraction, sun_gcrs_m
from physics.timebase import Epoch
from scenario.initial import pick_tle


def test_clip_2022_release_in_sunlight():
    sc = scenario.load("clip-2022")
    assert sc.time["epoch_utc"].startswith("2022-03-05")
    epoch = Epoch.from_utc(sc.time["epoch_utc"])
    tle = pick_tle(po.load_tle_file(sc.orbit["tle_file"]), epoch.tt_jd, sc.orbit["tle_name"])
    t_rel = sc.release["time_s"]
    # from one minute before the hooks open to 30 minutes after: fully sunlit at every minute
    for t in np.arange(t_rel - 60.0, t_rel + 1800.0 + 1.0, 60.0):
        when = str(np.datetime64(sc.time["epoch_utc"].rstrip("Z"), "s") + np.timedelta64(int(t), "s")) + "Z"
        r, _ = po.state_from_tle(tle, Epoch.from_utc(when))
        nu = shadow_fraction(np.asarray(r)[None, :], sun_gcrs_m(epoch.tt_jd, t))
        assert nu[0] == 1.0, (t, nu)


def test_clip_2022_sun_is_high_at_the_release():
    """The opening shot looks at the Zarya/PMA-1 port from above: it is lit only if the Sun is well above
    the station's horizon (at the old 12:23 release it was 3 deg below it and the US modules shaded the
    port). Elevation = 90 deg - angle between the Sun and the zenith r/|r| (the Sun is 1.5e8 km away)."""
    sc = scenario.load("clip-2022")
    epoch = Epoch.from_utc(sc.time["epoch_utc"])
    tle = pick_tle(po.load_tle_file(sc.orbit["tle_file"]), epoch.tt_jd, sc.orbit["tle_name"])
    t_rel = sc.release["time_s"]
    when = str(np.datetime64(sc.time["epoch_utc"].rstrip("Z"), "s") + np.timedelta64(int(t_rel), "s")) + "Z"
    r = np.asarray(po.state_from_tle(tle, Epoch.from_utc(when))[0], float)
    s = np.asarray(sun_gcrs_m(epoch.tt_jd, t_rel), float)
    elev_deg = 90.0 - np.degrees(np.arccos(r @ s / np.linalg.norm(r) / np.linalg.norm(s)))
    assert 45.0 < elev_deg < 70.0, elev_deg     # 57 deg at 12:41 UTC
