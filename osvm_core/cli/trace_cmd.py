"""``osvm trace``: look at a Chrome trace written by ``osvm run --trace``.

``gantt`` draws the schedule with matplotlib, imported only here (``pip install
matplotlib``, or the ``plot`` extra); ``summary`` prints per-task totals.
"""

from __future__ import annotations

import sys

import click

from .report import _table


def _model(trace_file: str):
    from ..trace_export.reader import TraceFileError, load_chrome_trace, read_model

    try:
        return read_model(load_chrome_trace(trace_file))
    except TraceFileError as error:
        click.echo(f"osvm: error: {error}", err=True)
        sys.exit(2)


@click.group("trace")
def trace_group() -> None:
    """Look at a Chrome trace written by `osvm run SYSTEM --trace FILE`."""


@trace_group.command("gantt")
@click.argument("trace_file", type=click.Path(exists=True, dir_okay=False))
@click.option("-o", "--output", required=True, type=click.Path(dir_okay=False), help="PNG file to write.")
@click.option("--width", type=click.IntRange(min=200, max=20000), default=1200, show_default=True,
              help="Width of the image in pixels.")
@click.option("--height", type=click.IntRange(min=150, max=20000),
              help="Height of the image in pixels [default: from the number of tasks].")
@click.option("--unit", type=click.Choice(["ms", "cycles"]), default="ms", show_default=True,
              help="Unit of the time axis.")
@click.option("--title", help="Title of the chart [default: the system's name].")
def gantt_command(trace_file: str, output: str, width: int, height: int | None, unit: str,
                  title: str | None) -> None:
    """Draw TRACE_FILE as a Gantt chart: a row per task, grouped and coloured by domain.

    Slices run in another VM (cross-VM calls) take that VM's colour, hatched;
    grey lines are waits, red triangles interrupts.
    """
    try:
        import matplotlib
    except ImportError:
        click.echo("osvm: error: `osvm trace gantt` needs matplotlib, which is not installed: "
                   "pip install matplotlib  (or: pip install 'osvm-core[plot]')", err=True)
        sys.exit(2)
    matplotlib.use("Agg")
    from ..trace_export.gantt import default_height, draw_gantt

    model = _model(trace_file)
    if not model.rows:
        click.echo(f"osvm: error: {trace_file}: no tasks in the trace", err=True)
        sys.exit(2)
    height = height or default_height(model)
    try:
        draw_gantt(model, output, width=width, height=height, unit=unit, title=title)
    except OSError as error:
        click.echo(f"osvm: error: {output}: {error.strerror or error}", err=True)
        sys.exit(2)
    click.echo(f"osvm: wrote {output} ({width}x{height}, {len(model.rows)} tasks)", err=True)


@trace_group.command("summary")
@click.argument("trace_file", type=click.Path(exists=True, dir_okay=False))
def summary_command(trace_file: str) -> None:
    """Per-task totals of TRACE_FILE: cycles run, slices, system calls, calls, waits, interrupts."""
    model = _model(trace_file)
    total = model.cycles(model.end_us) or 1
    service = int(model.other.get("service_cycles", 0))
    rows = []
    for row in model.rows:
        waited = sum(model.cycles(end) - model.cycles(start) for start, end, _, _ in row.waits)
        cycles = row.run_cycles + service * row.syscalls
        rows.append([row.domain, row.task, cycles, f"{100 * cycles / total:.1f}%", row.run_cycles,
                     len(row.slices), row.syscalls, row.calls, row.cross_vm_calls, len(row.waits), waited,
                     len(row.interrupts), row.faults])
    other = model.other
    head = f"== trace: {other.get('system', trace_file)}"
    if "cycles" in other:
        head += f", {other['halt'] + ' at ' if 'halt' in other else ''}cycle {other['cycles']}"
    click.echo(f"{head} (clock {model.clock_hz} Hz)")
    click.echo(_table(["domain", "task", "cycles", "cpu", "in vms", "slices", "syscalls", "calls", "cross-vm",
                       "waits", "wait cycles", "interrupts", "faults"], rows))
    click.echo(f"(cycles: run slices plus {service} per system call, as --stats counts them; "
               "in vms: the run slices alone)")
