"""Render stage helper: the report's chart — tasks by status for each task group — as PNG bytes.

matplotlib draws it (Agg, no display); Liberation Serif / Times New Roman so it matches the text.
The PNG carries no date or version metadata, so the same data gives the same bytes.
"""

from __future__ import annotations

import io

STATUS_ORDER = ("done", "in-progress", "not-started", "no-report")  # ids of data/statuses.yaml
# Distinguishable in grey print as well as in colour.
COLOURS = ("#2e7d32", "#f9a825", "#c62828", "#9e9e9e")
HATCHES = ("", "//", "xx", "..")


def status_chart_figure(groups: list[tuple[str, dict[str, int]]], *, width_in: float = 8.0):
    """The chart's matplotlib figure: a horizontal stacked bar per group ``(label, counts by status id)``.

    The legend is a figure legend below everything else, laid out by matplotlib's constrained
    layout: placed by hand under the axes, it covered the axis title when there were few groups."""
    import logging

    import matplotlib

    from generator.io.refdata import status_label

    matplotlib.use("Agg")
    from matplotlib import pyplot as plt
    from matplotlib.ticker import AutoLocator

    logging.getLogger("matplotlib.font_manager").setLevel(logging.ERROR)  # a missing family is not news
    plt.rcParams["font.family"] = "serif"
    plt.rcParams["font.serif"] = ["Liberation Serif", "Times New Roman", "DejaVu Serif"]
    labels = [g for g, _ in groups][::-1]
    counts = [c for _, c in groups][::-1]
    height = 1.4 + 0.38 * len(groups)
    fig, ax = plt.subplots(figsize=(width_in, height), dpi=150, layout="constrained")
    left = [0] * len(groups)
    for status, colour, hatch in zip(STATUS_ORDER, COLOURS, HATCHES, strict=False):
        values = [c.get(status, 0) for c in counts]
        if not any(values):
            continue
        ax.barh(labels, values, left=left, color=colour, hatch=hatch, edgecolor="white", label=status_label(status).capitalize())
        left = [a + b for a, b in zip(left, values, strict=False)]
    ax.set_xlabel("Số nhiệm vụ")
    locator = AutoLocator()  # matplotlib's default locator, kept to whole numbers of tasks
    locator.set_params(integer=True)
    ax.xaxis.set_major_locator(locator)
    ax.spines[["top", "right"]].set_visible(False)
    fig.legend(ncol=4, loc="outside lower center", frameon=False)
    return fig


def status_chart(groups: list[tuple[str, dict[str, int]]], *, width_in: float = 8.0) -> bytes:
    """The chart as PNG bytes (see :func:`status_chart_figure`)."""
    from matplotlib import pyplot as plt

    fig = status_chart_figure(groups, width_in=width_in)
    buf = io.BytesIO()
    fig.savefig(buf, format="png", metadata={"Software": None})
    plt.close(fig)
    return buf.getvalue()


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height in pixels, from the PNG header."""
    return int.from_bytes(data[16:20], "big"), int.from_bytes(data[20:24], "big")
