"""Scheduling policies on the same task sets, side by side in one table.

    python bench/sched.py            # every installed policy, 2 000 000 cycles per run (a few seconds)
    python bench/sched.py --quick    # 100 000 cycles per run (under a second)
    python bench/sched.py --cycles 1000000 --policies edf,stride

Every scheduling policy the plugins register (``osvm plugins``; third-party ones
too) runs every task set in one VM, with its default options, on the virt
board. The figures come from the simulated clock only (see bench/README.md):

- misses: jobs that ended after their deadline or are overdue at the end;
- response mean and p95: release to end of each job of the periodic and the
  waiting (interactive, I/O-bound) tasks, in cycles;
- throughput: jobs ended per million cycles (periodic jobs, bursts between
  waits, and 2000-cycle units of the batch tasks);
- Jain's fairness index of what each task got against what it is due: for a
  periodic set cycles ÷ (utilisation × run), else cycles ÷ tickets of the
  CPU-bound tasks;
- share error: the largest difference between a CPU-bound task's share of the
  CPU-bound tasks' cycles and its share of their tickets.
"""

from __future__ import annotations

import argparse
import math
import platform
import sys
import tempfile
import textwrap
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from osvm_core import __version__ as OSVM_VERSION
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import read_system_file
from osvm_core.testing.jobs import count_misses, task_jobs

JOB_OVERHEAD = 40   # cycles of a periodic job besides its work: two Python VM steps and the delay_until service
UNIT = 2000         # cycles of one unit of batch work

GUEST = textwrap.dedent('''\
    """Guest tasks of the scheduling benchmark."""

    from osvm_vm_python.guest import delay, delay_until, export, now, work


    @export("func(period: s64, wcet: s64)")
    def periodic(period, wcet):
        release = 0                     # every task is activated at cycle 0
        while True:
            yield work(wcet)
            release += period
            yield delay_until(release)  # the job ends; the next is released at ``release``


    @export("func(burst: s64, gap: s64)")
    def bursty(burst, gap):
        while True:
            yield work(burst)           # handle one event (a key press, a disk block)...
            yield delay(gap)            # ...and wait for the next one


    @export("func(unit: s64)")
    def batch(unit):
        while True:
            yield work(unit)
            yield now()                 # marks the end of one unit of work
    ''')


@dataclass
class TaskDef:
    name: str
    kind: str                          # periodic | bursty | batch
    args: list[int]
    priority: int
    attrs: dict[str, int] = field(default_factory=dict)


@dataclass
class TaskSet:
    name: str
    tasks: list[TaskDef]


PERIODS = (4000, 5000, 7000, 11000)    # non-harmonic
WEIGHTS = (0.3, 0.25, 0.25, 0.2)       # each task's part of the utilisation


def periodic_set(utilisation: float) -> TaskSet:
    """Four periodic tasks with deadlines equal to their periods; priorities rate-monotonic."""
    tasks = []
    for rank, (period, weight) in enumerate(zip(PERIODS, WEIGHTS, strict=True)):
        cost = round(utilisation * weight * period)
        tasks.append(TaskDef(f"p{rank}", "periodic", [period, cost - JOB_OVERHEAD], rank + 1,
                             {"period": period, "wcet": cost, "tickets": round(1000 * cost / period)}))
    return TaskSet(f"periodic U={utilisation:.1f}", tasks)


def mixed_set() -> TaskSet:
    """Two interactive tasks (300-cycle bursts, due within 1500 cycles) beside three batch tasks."""
    tasks = [TaskDef(f"i{n}", "bursty", [300, 4000], 1, {"deadline": 1500, "tickets": 100}) for n in range(2)]
    tasks += [TaskDef(f"b{n}", "batch", [UNIT], 2, {"tickets": tickets}) for n, tickets in enumerate((300, 200, 100))]
    return TaskSet("interactive+batch", tasks)


def io_set() -> TaskSet:
    """Three I/O-bound tasks (100 cycles, then a 1000-cycle device wait) beside two CPU-bound ones."""
    tasks = [TaskDef(f"io{n}", "bursty", [100, 1000], 1, {"tickets": 100}) for n in range(3)]
    tasks += [TaskDef(f"cpu{n}", "batch", [UNIT // 2], 2, {"tickets": tickets}) for n, tickets in enumerate((200, 100))]
    return TaskSet("io+cpu", tasks)


def task_sets() -> list[TaskSet]:
    return [periodic_set(u) for u in (0.7, 0.8, 0.9, 1.0)] + [mixed_set(), io_set()]


def system_file(task_set: TaskSet, policy: str) -> str:
    text = textwrap.dedent(f"""\
        [system]
        name = "sched-bench"
        hal = "virt"
        quantum = 2000

        [hal]
        clock_hz = 1_000_000
        ram = "4MiB"
        timer_period = 0

        [[vm]]
        name = "vm"
        kind = "python"
        scheduler = "{policy}"
        load = ["sched_guest.py"]
        """)
    for task in task_set.tasks:
        attrs = ", ".join(f"{key} = {value}" for key, value in task.attrs.items())
        text += textwrap.dedent(f"""
            [[task]]
            name = "{task.name}"
            vm = "vm"
            entry = "sched_guest/{task.kind}"
            args = {task.args}
            priority = {task.priority}
            attrs = {{ {attrs} }}
            """)
    return text


@dataclass
class Row:
    task_set: str
    policy: str
    misses: int | None = None
    mean: float | None = None
    p95: float | None = None
    throughput: float | None = None
    jain: float | None = None
    share_error: float | None = None
    error: str = ""


def jain(values: list[float]) -> float | None:
    squares = sum(v * v for v in values)
    return (sum(values) ** 2) / (len(values) * squares) if values and squares else None


def percentile(values: list[int], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[max(0, math.ceil(fraction * len(ordered)) - 1)]


def measure(kernel: Any, task_set: TaskSet, policy: str, horizon: int) -> Row:
    row = Row(task_set.name, policy)
    responses: list[int] = []
    ended = 0
    missed = 0
    deadlines = False
    units: dict[str, int] = {}
    for piece in kernel.trace.slices:
        if piece.outcome == "syscall" and piece.target == "/os/time/now":
            units[piece.task] = units.get(piece.task, 0) + 1
    due: list[float] = []
    greedy: list[tuple[int, int]] = []   # (cycles, tickets) of the CPU-bound tasks
    for task_def in task_set.tasks:
        task = kernel.objects.get("task", task_def.name)
        if task_def.kind == "batch":
            ended += units.get(task_def.name, 0)
            greedy.append((task.cycles, task_def.attrs["tickets"]))
            continue
        jobs = task_jobs(kernel, task_def.name, horizon)
        responses += [job.response for job in jobs if job.response is not None]
        ended += sum(job.end is not None for job in jobs)
        if "deadline" in task_def.attrs or "period" in task_def.attrs:
            deadlines = True
            missed += count_misses(jobs, horizon)
        if task_def.kind == "periodic":
            due.append(task.cycles / (task_def.attrs["wcet"] / task_def.attrs["period"] * horizon))
    row.misses = missed if deadlines else None
    if responses:
        row.mean = sum(responses) / len(responses)
        row.p95 = percentile(responses, 0.95)
    row.throughput = ended / (horizon / 1e6)
    if greedy:
        row.jain = jain([cycles / tickets for cycles, tickets in greedy])
        total_cycles = sum(c for c, _ in greedy) or 1
        total_tickets = sum(t for _, t in greedy)
        row.share_error = max(abs(c / total_cycles - t / total_tickets) for c, t in greedy)
    else:
        row.jain = jain(due)
    return row


def run_one(workdir: Path, plugins: Any, registry: Any, task_set: TaskSet, policy: str, horizon: int) -> Row:
    path = workdir / f"{task_set.name.replace(' ', '_').replace('=', '')}-{policy}.toml"
    path.write_text(system_file(task_set, policy), encoding="utf-8")
    diagnostics: list[str] = []
    try:
        system = build_system(read_system_file(path), plugins, registry, trace=True,
                              diagnostics=diagnostics.append)
        system.kernel.run(max_cycles=horizon)
        return measure(system.kernel, task_set, policy, horizon)
    except Exception as error:  # a third-party policy that fails shows in its row, the others still run
        return Row(task_set.name, policy, error=f"{type(error).__name__}: {error}")


def _cell(value: Any, kind: str) -> str:
    if value is None:
        return "-"
    if kind == "int":
        return f"{value:,.0f}"
    if kind == "rate":
        return f"{value:,.1f}"
    if kind == "index":
        return f"{value:.3f}"
    return f"{100 * value:.1f}%"


COLUMNS = [("task set", None), ("policy", None), ("misses", "int"), ("resp mean", "int"), ("resp p95", "int"),
           ("jobs/Mcycle", "rate"), ("Jain", "index"), ("share err", "percent")]


def table(rows: list[Row]) -> str:
    cells = [[c for c, _ in COLUMNS]]
    for row in rows:
        if row.error:
            cells.append([row.task_set, row.policy, f"error: {row.error}"] + [""] * (len(COLUMNS) - 3))
            continue
        values = [row.misses, row.mean, row.p95, row.throughput, row.jain, row.share_error]
        cells.append([row.task_set, row.policy] + [_cell(v, k) for v, (_, k) in zip(values, COLUMNS[2:],
                                                                                      strict=True)])
    widths = [max(len(r[i]) for r in cells if not (i >= 2 and r[2].startswith("error"))) for i in range(len(COLUMNS))]
    lines = []
    for index, row in enumerate(cells):
        if len(row) > 2 and row[2].startswith("error"):
            lines.append(f"{row[0].ljust(widths[0])} | {row[1].ljust(widths[1])} | {row[2]}")
            continue
        lines.append(" | ".join(c.ljust(w) if i < 2 else c.rjust(w) for i, (c, w) in
                                enumerate(zip(row, widths, strict=True))))
        if index == 0:
            lines.append("-+-".join("-" * w for w in widths))
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100 000 cycles per run instead of 2 000 000")
    parser.add_argument("--cycles", type=int, help="simulated cycles per run")
    parser.add_argument("--policies", help="comma-separated policy names (default: every installed one)")
    args = parser.parse_args(argv)
    horizon = args.cycles or (100_000 if args.quick else 2_000_000)
    plugins = load_plugins()
    registry = build_registry(plugins)
    installed = registry.names("scheduler")
    policies = args.policies.split(",") if args.policies else installed
    unknown = sorted(set(policies) - set(installed))
    if unknown:
        parser.error(f"no policy named {', '.join(unknown)} (installed: {', '.join(installed)})")
    names = ", ".join(f"{p} [{registry.get('scheduler', p).distribution}]" for p in policies)
    print(f"osvm {OSVM_VERSION}, Python {platform.python_version()}: {len(policies)} policies ({names}), "
          f"{horizon:,} cycles per run")
    started = time.perf_counter()
    rows = []
    with tempfile.TemporaryDirectory(prefix="osvm-sched-bench-") as directory:
        workdir = Path(directory)
        (workdir / "sched_guest.py").write_text(GUEST, encoding="utf-8")
        for task_set in task_sets():
            for policy in policies:
                rows.append(run_one(workdir, plugins, registry, task_set, policy, horizon))
    print(table(rows))
    print(f"(cycles of the simulated clock; one VM per run with the policy's default options; "
          f"{time.perf_counter() - started:.1f} s of host time)")
    return 1 if any(row.error for row in rows) else 0


if __name__ == "__main__":
    sys.exit(main())
