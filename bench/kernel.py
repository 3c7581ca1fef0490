"""Kernel benchmarks: osvm's dispatch loop and semaphores beside SimPy, in one run.

    python bench/kernel.py               # full run (median of 5), well under a minute
    python bench/kernel.py --quick       # smoke run: small sizes, one repeat
    python bench/kernel.py --repeat 9    # more repeats
    python bench/kernel.py --profile     # also cProfile the osvm ping-pong (top functions by tottime)

What is measured (see bench/README.md):

1. context switches per second: N CPU-bound Python guest tasks in one VM under
   round-robin with a small slice (``while True: yield work(100)``), run for a
   fixed number of simulated cycles; switches = sum of ``task.switches``.
   SimPy: N processes ``while True: yield env.timeout(100)``; one process
   resumption counts as one switch.
2. semaphore ping-pong round trips per second: task A signals s1 and waits s2,
   task B waits s1 and signals s2, R times, through the real kernel and the
   ``/os/sem`` services. SimPy: the same handoff with two ``simpy.Store``s
   (``yield s1.put(None)`` / ``yield s2.get()``).

Only the run is timed (``time.perf_counter`` around ``kernel.run`` / ``env.run``);
composing the system is not. Benchmarks may read the host clock; the simulated
systems themselves never do, and no test asserts a wall-clock figure.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import statistics
import sys
import tempfile
import textwrap
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

try:
    import simpy
except ImportError:  # the osvm figures are still printed
    simpy = None

from osvm_core import __version__ as OSVM_VERSION
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry
from osvm_core.system.build import build_system
from osvm_core.system.spec import read_system_file

WORK = 100     # cycles of work per guest step (and SimPy timeout length)
SLICE = 100    # round-robin slice of the VM's policy, in cycles

GUEST = textwrap.dedent(f'''\
    """Guest tasks of the kernel benchmark."""

    from osvm_vm_python.guest import export, sem, work


    @export("func() -> s32")
    def spin():
        """CPU-bound: never blocks, only preempted."""
        while True:
            yield work({WORK})


    @export("func(rounds: s32) -> s32")
    def ping(rounds):
        s1, s2 = sem("s1"), sem("s2")
        for _ in range(rounds):
            yield s1.signal()
            yield s2.wait()
        return 0


    @export("func(rounds: s32) -> s32")
    def pong(rounds):
        s1, s2 = sem("s1"), sem("s2")
        for _ in range(rounds):
            yield s1.wait()
            yield s2.signal()
        return 0
    ''')


def switch_system(tasks: int) -> str:
    spin_tasks = "".join(f'\n[[task]]\nname = "spin{i}"\nvm = "py0"\nentry = "bench/spin"\n'
                         for i in range(tasks))
    return textwrap.dedent(f'''\
        [system]
        name = "bench-switch"
        hal = "virt"
        quantum = 1_000_000      # one domain: the VM policy's slice decides every switch

        [hal]
        timer_period = 0         # no timer interrupts: only the dispatch loop is measured
        ram = "4MiB"

        [[vm]]
        name = "py0"
        kind = "python"
        scheduler = "round-robin"
        scheduler_options = {{ slice = {SLICE} }}
        memory = "64KiB"
        load = ["bench.py"]
        ''') + spin_tasks


def pingpong_system(rounds: int) -> str:
    return textwrap.dedent(f'''\
        [system]
        name = "bench-pingpong"
        hal = "virt"

        [hal]
        timer_period = 0
        ram = "4MiB"

        [[vm]]
        name = "py0"
        kind = "python"
        memory = "64KiB"
        load = ["bench.py"]

        [[semaphore]]
        name = "s1"
        count = 0
        max = 1

        [[semaphore]]
        name = "s2"
        count = 0
        max = 1

        [[task]]
        name = "A"
        vm = "py0"
        entry = "bench/ping"
        args = [{rounds}]

        [[task]]
        name = "B"
        vm = "py0"
        entry = "bench/pong"
        args = [{rounds}]
        ''')


class Osvm:
    """Plugins loaded once; each measurement composes a fresh system from a temp directory."""

    def __init__(self, workdir: Path) -> None:
        self.workdir = workdir
        (workdir / "bench.py").write_text(GUEST, encoding="utf-8")
        self.plugins = load_plugins()
        self.registry = build_registry(self.plugins)

    def build(self, toml: str, name: str) -> Any:
        path = self.workdir / f"{name}.toml"
        path.write_text(toml, encoding="utf-8")
        spec = read_system_file(path)
        return build_system(spec, self.plugins, self.registry).kernel


# ---------------------------------------------------------------- the measurements
@dataclass
class Sample:
    count: int       # switches or round trips done
    seconds: float   # host wall time of the run alone

    @property
    def rate(self) -> float:
        return self.count / self.seconds if self.seconds > 0 else float("inf")


def _timed(run: Callable[[], Any]) -> tuple[Any, float]:
    gc.collect()
    start = time.perf_counter()
    result = run()
    return result, time.perf_counter() - start


def osvm_switches(osvm: Osvm, tasks: int, cycles: int) -> Sample:
    kernel = osvm.build(switch_system(tasks), "switch")
    report, seconds = _timed(lambda: kernel.run(max_cycles=cycles))
    if report.reason != "max-cycles":
        raise RuntimeError(f"switch benchmark halted early: {report.reason} {report.detail}")
    switches = sum(task.switches for task in kernel.tasks.values())
    return Sample(switches, seconds)


def osvm_pingpong(osvm: Osvm, rounds: int) -> Sample:
    kernel = osvm.build(pingpong_system(rounds), "pingpong")
    report, seconds = _timed(kernel.run)
    if report.reason != "finished":
        raise RuntimeError(f"ping-pong did not finish: {report.reason} {report.detail}")
    for task in kernel.tasks.values():
        if not task.daemon and (task.exit_code != 0 or task.fault is not None):
            raise RuntimeError(f"ping-pong task {task.name} ended with {task.exit_code} {task.fault}")
    return Sample(rounds, seconds)


def simpy_switches(tasks: int, cycles: int) -> Sample:
    env = simpy.Environment()
    resumes = [0]

    def spin(env: Any) -> Any:
        timeout = env.timeout
        while True:
            yield timeout(WORK)
            resumes[0] += 1

    for _ in range(tasks):
        env.process(spin(env))
    _, seconds = _timed(lambda: env.run(until=cycles))
    return Sample(resumes[0], seconds)


def simpy_pingpong(rounds: int) -> Sample:
    env = simpy.Environment()
    s1, s2 = simpy.Store(env), simpy.Store(env)
    done = [0]

    def ping(env: Any) -> Any:
        for _ in range(rounds):
            yield s1.put(None)
            yield s2.get()
        done[0] = rounds

    def pong(env: Any) -> Any:
        for _ in range(rounds):
            yield s1.get()
            yield s2.put(None)

    env.process(ping(env))
    env.process(pong(env))
    _, seconds = _timed(env.run)
    if done[0] != rounds:
        raise RuntimeError("SimPy ping-pong did not finish")
    return Sample(rounds, seconds)


def medians(measures: dict[str, Callable[[], Sample]], repeat: int) -> dict[str, Sample]:
    """Run every measure once per round, ``repeat`` rounds (interleaved, so a noisy host
    slows both sides alike), and keep each measure's median-rate sample."""
    samples: dict[str, list[Sample]] = {name: [] for name in measures}
    for _ in range(repeat):
        for name, measure in measures.items():
            samples[name].append(measure())
    return {name: _median(runs) for name, runs in samples.items()}


def _median(runs: list[Sample]) -> Sample:
    """The median-rate sample (for an even count, one carrying the mean of the middle two rates)."""
    ordered = sorted(runs, key=lambda s: s.rate)
    middle = ordered[len(ordered) // 2]
    if len(ordered) % 2:
        return middle
    rate = statistics.median(s.rate for s in ordered)
    return Sample(middle.count, middle.count / rate)


# ---------------------------------------------------------------- report
def _rate(value: float | None) -> str:
    if value is None:
        return "-"
    if value >= 1e6:
        return f"{value / 1e6:,.2f} M/s"
    return f"{value:,.0f} /s"


def _cpu_model() -> str:
    try:
        with open("/proc/cpuinfo", encoding="utf-8") as cpuinfo:
            for line in cpuinfo:
                if line.startswith("model name"):
                    return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "?"


def header(repeat: int) -> list[str]:
    uname = platform.uname()
    lines = [
        "osvm kernel benchmark",
        f"python  {platform.python_implementation()} {platform.python_version()} "
        f"({sys.executable})",
        f"machine {uname.machine} {_cpu_model()}, "
        f"{os.cpu_count()} CPUs, {uname.system} {uname.release}",
        f"osvm    {OSVM_VERSION}; simpy {simpy.__version__ if simpy else 'MISSING'}",
        f"figures are medians of {repeat} run(s); host wall time of the run only (perf_counter)",
    ]
    return lines


def table(rows: list[tuple[str, float, float | None]]) -> list[str]:
    head = ("measure", "osvm", "SimPy", "ratio osvm/SimPy")
    body = [(name, _rate(mine), _rate(theirs),
             f"{mine / theirs:.2f}x" if theirs else "-") for name, mine, theirs in rows]
    widths = [max(len(r[i]) for r in [head, *body]) for i in range(4)]

    def line(cells: tuple[str, ...]) -> str:
        return " | ".join(c.ljust(w) if i == 0 else c.rjust(w) for i, (c, w) in enumerate(zip(cells, widths, strict=True)))

    return [line(head), "-+-".join("-" * w for w in widths), *[line(r) for r in body]]


def profile_pingpong(osvm: Osvm, rounds: int, top: int) -> None:
    import cProfile
    import pstats

    kernel = osvm.build(pingpong_system(rounds), "pingpong")
    profiler = cProfile.Profile()
    profiler.enable()
    kernel.run()
    profiler.disable()
    print(f"\ncProfile of the osvm ping-pong ({rounds} round trips), top {top} by tottime:")
    stats = pstats.Stats(profiler, stream=sys.stdout)
    stats.sort_stats("tottime").print_stats(top)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="small sizes and one repeat (smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per figure (median; default 5)")
    parser.add_argument("--tasks", type=int, default=8, help="CPU-bound tasks in the switch test (default 8)")
    parser.add_argument("--profile", action="store_true", help="cProfile the osvm ping-pong afterwards")
    args = parser.parse_args(argv)
    repeat = args.repeat if args.repeat is not None else (1 if args.quick else 5)
    if repeat < 1 or args.tasks < 1:
        parser.error("--repeat and --tasks must be at least 1")
    # the same work for both: a full run takes about 2 s per repeat on a small x86-64 VM
    cycles = 200_000 if args.quick else 10_000_000      # simulated cycles of the switch test
    rounds = 500 if args.quick else 20_000              # ping-pong round trips

    print("\n".join(header(repeat)))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="osvm-bench-") as tmp:
        osvm = Osvm(Path(tmp))
        measures: dict[str, Callable[[], Sample]] = {
            "osvm switches": lambda: osvm_switches(osvm, args.tasks, cycles),
            "osvm ping-pong": lambda: osvm_pingpong(osvm, rounds),
        }
        if simpy is not None:
            measures["simpy switches"] = lambda: simpy_switches(args.tasks, cycles)
            measures["simpy ping-pong"] = lambda: simpy_pingpong(rounds)
        result = medians(measures, repeat)
        sw, sw_count = result["osvm switches"].rate, result["osvm switches"].count
        pp = result["osvm ping-pong"].rate
        sim_sw = result["simpy switches"].rate if simpy is not None else None
        sim_pp = result["simpy ping-pong"].rate if simpy is not None else None
        print(f"switch test: {args.tasks} tasks, slice {SLICE} cycles, {cycles:,} simulated cycles "
              f"({sw_count:,} osvm switches"
              + (f", {result['simpy switches'].count:,} SimPy resumptions)" if simpy else ")"))
        print(f"ping-pong: {rounds:,} round trips (osvm: 4 system calls each; SimPy: 2 put + 2 get)")
        print()
        print("\n".join(table([
            (f"context switches ({args.tasks} CPU-bound tasks)", sw, sim_sw),
            ("semaphore ping-pong round trips", pp, sim_pp),
        ])))
        if simpy is None:
            print("\nSimPy is missing (pip install simpy): only the osvm figures are shown.")
        print(f"\ntotal {time.perf_counter() - started:.1f} s")
        if args.profile:
            profile_pingpong(osvm, rounds, 10)
    return 0


if __name__ == "__main__":
    sys.exit(main())
