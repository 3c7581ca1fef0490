"""A Gantt chart of a Chrome trace with matplotlib (Agg): one row per task, grouped by domain.

Imported only by ``osvm trace gantt``: importing this module imports matplotlib.
"""

from __future__ import annotations

from matplotlib.backends.backend_agg import FigureCanvasAgg
from matplotlib.figure import Figure
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .reader import TraceModel

DPI = 100
#: Colours per domain, in the order the domains appear (tab10 without its grey).
PALETTE = ("#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd", "#8c564b", "#e377c2", "#bcbd22",
           "#17becf")
WAIT_COLOUR = "#b0b0b0"
INTERRUPT_COLOUR = "#d62728"


def default_height(model: TraceModel) -> int:
    return max(300, 140 + 34 * len(model.rows))


def draw_gantt(model: TraceModel, output: str, *, width: int, height: int, unit: str = "ms",
               title: str | None = None) -> None:
    """Write a PNG of exactly ``width`` x ``height`` pixels to ``output``."""
    if unit == "cycles":
        scale = model.clock_hz / 1_000_000
        xlabel = f"cycles (clock {model.clock_hz:,} Hz)"
    else:
        scale = 1 / 1000
        xlabel = "simulated time (ms)"
    colours = {domain: PALETTE[index % len(PALETTE)] for index, domain in enumerate(model.domains)}

    def colour_of(vm: str) -> str:
        if vm in colours:
            return colours[vm]
        head = vm.split(".")[0]               # e.g. "app.upcall" runs for domain "app"
        return colours.get(head, "#7f7f7f")

    figure = Figure(figsize=(width / DPI, height / DPI), dpi=DPI)
    FigureCanvasAgg(figure)
    figure.set_layout_engine("constrained")
    axes = figure.add_subplot()
    rows = model.rows
    count = len(rows)
    used_vms: dict[str, str] = {}
    for index, row in enumerate(rows):
        y = count - 1 - index                 # first row at the top
        for start, end, _reason, _result in row.waits:
            axes.plot([start * scale, end * scale], [y, y], color=WAIT_COLOUR, linewidth=1.5,
                      solid_capstyle="butt", zorder=1)
        by_vm: dict[str, list[tuple[float, float]]] = {}
        for ts, dur, vm in row.slices:
            by_vm.setdefault(vm, []).append((ts * scale, dur * scale))
        for vm, spans in sorted(by_vm.items()):
            colour = colour_of(vm)
            foreign = vm != row.domain and vm.split(".")[0] != row.domain
            used_vms.setdefault(vm, colour)
            axes.broken_barh(spans, (y - 0.32, 0.64), facecolors=colour, edgecolor=colour, linewidth=0.3,
                             hatch="///" if foreign else None, zorder=2)
        if row.interrupts:
            xs = [ts * scale for ts, _ in row.interrupts]
            axes.scatter(xs, [y + 0.42] * len(xs), marker="v", s=36, color=INTERRUPT_COLOUR, zorder=4)
    # one band per domain, its name in the band
    start = 0
    for index in range(count + 1):
        if index == count or (index > start and rows[index].domain != rows[start].domain):
            top = count - 1 - start + 0.5
            bottom = count - index - 0.5
            domain = rows[start].domain
            axes.axhspan(bottom, top, color=colours.get(domain, "#7f7f7f"), alpha=0.07, zorder=0, linewidth=0)
            axes.axhline(bottom, color="#999999", linewidth=0.6, zorder=0)
            axes.text(0.002, top - 0.06, domain, transform=axes.get_yaxis_transform(), fontsize=8,
                      fontweight="bold", va="top", ha="left", color=colours.get(domain, "#444444"), zorder=5)
            start = index
    axes.set_yticks(range(count))
    axes.set_yticklabels([row.task for row in reversed(rows)])
    axes.set_ylim(-0.6, count - 0.4)
    axes.set_xlim(0, max(model.end_us * scale * 1.01, 1e-9))
    axes.set_xlabel(xlabel)
    axes.grid(axis="x", color="#dddddd", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    other = model.other
    if title is None:
        name = other.get("system", "osvm")
        cycles = other.get("cycles")
        title = f"{name}: schedule" + (f" ({cycles:,} cycles, {other['halt']})" if cycles is not None and
                                        "halt" in other else "")
    axes.set_title(title, fontsize=11)
    handles: list[object] = [Patch(facecolor=colour, label=f"runs in {vm}") for vm, colour in sorted(used_vms.items())]
    handles.append(Line2D([], [], color=WAIT_COLOUR, linewidth=1.5, label="waiting"))
    if any(row.interrupts for row in rows):
        handles.append(Line2D([], [], color=INTERRUPT_COLOUR, marker="v", linestyle="none", label="interrupt"))
    figure.legend(handles=handles, loc="outside lower center", ncols=min(len(handles), 6), fontsize=8,
                  frameon=False)
    figure.savefig(output, dpi=DPI, format="png")
