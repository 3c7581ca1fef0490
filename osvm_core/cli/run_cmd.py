"""``osvm run SYSTEM.toml``: compose a system from its file and run it."""

from __future__ import annotations

import sys

import click

from ..errors import OsvmError
from ..system.build import build_system
from ..system.spec import SystemFileError, read_system_file
from .report import stats_report


def _stdout_writer(data: bytes) -> None:
    sys.stdout.buffer.write(data)


def compose(env, system_file: str, *, trace: bool = False, seed: int | None = None):
    """Read and build a system, turning bad input into exit status 2 with one clear message."""
    try:
        spec = read_system_file(system_file)
        if seed is not None:
            spec.seed = seed
        return build_system(spec, env.plugins, env.registry, console_out=_stdout_writer, trace=trace)
    except SystemFileError as error:
        click.echo(f"osvm: error: {error}", err=True)
        sys.exit(2)
    except OsvmError as error:
        click.echo(f"osvm: error: {system_file}: {error}", err=True)
        sys.exit(2)


@click.command("run")
@click.argument("system_file", type=click.Path(dir_okay=False))
@click.option("--max-cycles", type=click.IntRange(min=1), help="Stop after this many cycles.")
@click.option("--stats", is_flag=True, help="Print a table of tasks and domains at the end.")
@click.option("--seed", type=int, help="Override the system file's seed.")
@click.option("--events", "events_file", type=click.Path(dir_okay=False),
              help="Write the kernel's event trace as JSON lines to this file.")
@click.option("--trace", "trace_file", type=click.Path(dir_okay=False),
              help="Write a Chrome trace (Trace Event Format JSON; opens in Perfetto) to this file.")
@click.pass_obj
def run_command(env, system_file: str, max_cycles: int | None, stats: bool, seed: int | None,
                events_file: str | None, trace_file: str | None) -> None:
    """Boot SYSTEM_FILE and run it until every task has ended, a deadlock, or --max-cycles.

    Guest console output goes to stdout; reports go to stderr. Exit status: 0
    when the system finished (or reached --max-cycles), 1 on a deadlock, 2 for a
    bad system file. --trace FILE writes a Chrome trace (see docs/traces.md);
    `osvm trace gantt FILE -o schedule.png` draws it.
    """
    system = compose(env, system_file, trace=events_file is not None or trace_file is not None, seed=seed)
    kernel = system.kernel
    limit = max_cycles if max_cycles is not None else system.spec.max_cycles
    report = kernel.run(max_cycles=limit)
    sys.stdout.flush()
    if events_file:
        with open(events_file, "w", encoding="utf-8") as handle:
            handle.write(kernel.trace.to_jsonl())
    if trace_file:
        from ..trace_export.chrome import chrome_trace_of, write_chrome_trace

        write_chrome_trace(trace_file, chrome_trace_of(kernel, system=system.spec.name))
    if stats:
        click.echo(stats_report(kernel))
        sys.stdout.flush()
    click.echo(f"osvm: {report.reason} at cycle {report.cycles}", err=True)
    for line in report.detail:
        click.echo(f"osvm:   {line}", err=True)
    if report.reason == "deadlock":
        sys.exit(1)
