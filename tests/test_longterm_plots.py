"""The long-term altitude plot writes a complete PNG (no temporary left) for one run with a reentry."""
from __future__ import annotations

import numpy as np

from physics import spaceweather as sw
from physics.longterm.decay import DecayBody, run_long_term
from physics.longterm.elements import MeanElements
from physics.longterm.rates import R_EQ_M
from scenario.longterm.plots import plot_long_term


def test_plot_long_term_writes_png(tmp_path):
    el = MeanElements(R_EQ_M + 250e3, 0.0005, np.radians(51.64), 0.0, 0.0, 0.0)
    res = run_long_term([DecayBody("ROS", 1e5, 2.2, 224.0), DecayBody("USOS", 3.75e5, 2.0, 1200.0)],
                        el, "2022-03-05T12:00:00Z", 200 * 86400.0, sw.ECSS_HIGH)
    assert res.reentry("USOS") is not None
    out = plot_long_term({"high": res}, tmp_path / "alt.png")
    data = out.read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and len(data) > 20_000
    assert not list(tmp_path.glob(".*.tmp*"))


def test_long_term_figure_labels_and_burns():
    """What a projector shows: axis labels with units, the burns in the legend, a run that ends
    with the body still up says so with its date."""
    import matplotlib
    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from physics.longterm.decay import KeepAbove, ReboostVehicle, PROGRESS_MS
    from scenario.longterm.plots import figure_long_term
    el = MeanElements(R_EQ_M + 400.3e3, 0.0005, np.radians(51.64), 0.0, 0.0, 0.0)
    v = ReboostVehicle("Progress", "USOS", **PROGRESS_MS)
    res = run_long_term([DecayBody("USOS", 3.75e5, 2.0, 1200.0)], el, "2022-03-05T12:00:00Z", 20 * 86400.0,
                        sw.ECSS_MODERATE, [KeepAbove("Progress", 400.0, 402.0)], [v])
    n_burns = sum(e.kind == "burn" for e in res.events)
    assert n_burns >= 1
    fig = figure_long_term({"moderate": res}, "t")
    ax = fig.axes[0]
    assert ax.get_xlabel() == "date (UTC)" and ax.get_ylabel() == "mean altitude (km)"
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert f"USOS - reboost burns ({n_burns})" in labels
    assert "USOS - moderate (no reentry by 2022-03-25)" in labels
    plt.close(fig)
