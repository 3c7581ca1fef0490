"""Allocator benchmark: every registered allocator on the same seeded traces, side by side.

    python bench/alloc.py                  # full run (median of 5), well under a minute
    python bench/alloc.py --quick          # smoke run: short traces, one repeat, a few seconds
    python bench/alloc.py --only tlsf,buddy --repeat 9 --seed 7

The allocators are found the way ``osvm`` finds them (``load_plugins`` +
``build_registry``), so a third-party allocator that is installed shows up
beside first-fit, best-fit, tlsf and buddy without changing this file.

Table 1 replays seeded synthetic traces of allocate/release requests:

* sizes **uniform** in 16..512 bytes, or **Pareto** (16 bytes times a Pareto
  variate of shape 1.3, capped at 64 KiB: mostly small, a heavy tail of big);
* releases in **LIFO** order (the newest live block), **FIFO** (the oldest) or
  **random** order, the number of live blocks wandering around a target;
* **producer-consumer**: bursts of messages (mostly small, some 1-8 KiB)
  consumed in FIFO order, plus long-lived records released at random.

Each request asks for ``size + 8`` bytes aligned to 8, exactly what a
variable-size pool asks of its allocator (the 8-byte block header). Columns:
operations per second (allocate and release calls; median of the repeats,
host wall time of the replay only), the ratio to first-fit, fragmentation (max
footprint / max live bytes, as the allocator reports it), the worst and the
mean steps of one operation (each allocator counts its own steps: blocks
visited, comparisons, bitmap searches, splits, merges; see each README),
internal waste at the moment of peak live bytes as a share of those bytes, and
failed requests. The heap is a power of two at least four times the trace's
peak live bytes, so failures should stay at 0 and fragmentation shows
placement quality, not exhaustion.

Table 2 fills a heap with 1,000, 10,000 and 100,000 live blocks (uniform
16..256 bytes, heap sized to four times that) and times a steady churn at that
level: release a random live block, allocate a new one. An untimed warm-up of
as many such pairs as there are live blocks (``--quick``: at most 2,000) first
cuts the free space up the way a long-running heap has it; without it, a fresh
heap flatters the allocators whose search walks the free blocks.

Benchmarks may read the host clock; the allocators never do, and no test
asserts a wall-clock figure.
"""

from __future__ import annotations

import argparse
import gc
import platform
import random
import statistics
import sys
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from osvm_core import __version__ as OSVM_VERSION
from osvm_core.plugins import load_plugins
from osvm_core.registry import build_registry

HEADER = 8                       # what a VariablePool adds to every request
LIVE_TARGET = 2_000              # live blocks the table-1 traces wander around
SCALES = (1_000, 10_000, 100_000)
BASE = 0x1000_0000               # where the benchmark heaps start (any aligned address)

# A trace is a list of (slot, size): size > 0 allocates into the slot, 0 releases the slot's block.
Trace = list[tuple[int, int]]


# ---------------------------------------------------------------- traces
def uniform_sizes(rng: random.Random) -> int:
    return rng.randint(16, 512)


def pareto_sizes(rng: random.Random) -> int:
    return min(int(16 * rng.paretovariate(1.3)), 64 * 1024)


class _Slots:
    """Slot numbers for live blocks, reused once released (so replays need few slots)."""

    def __init__(self) -> None:
        self.free: list[int] = []
        self.count = 0

    def take(self) -> int:
        if self.free:
            return self.free.pop()
        self.count += 1
        return self.count - 1


def churn_trace(rng: random.Random, operations: int, draw: Callable[[random.Random], int],
                order: str) -> tuple[Trace, int]:
    """Fill to LIVE_TARGET blocks, then allocate or release at random (live count kept within
    half and one and a half times the target); releases pick by ``order``. Returns the trace
    and its peak live bytes."""
    trace: Trace = []
    slots = _Slots()
    live: deque[tuple[int, int]] = deque()        # (slot, size), oldest first
    live_bytes = peak = 0
    low, high = LIVE_TARGET // 2, LIVE_TARGET * 3 // 2
    filling = True
    while len(trace) < operations:
        if len(live) >= LIVE_TARGET:
            filling = False
        grow = filling or len(live) < low or (len(live) < high and rng.random() < 0.5)
        if grow:
            slot, size = slots.take(), draw(rng) + HEADER
            live.append((slot, size))
            trace.append((slot, size))
            live_bytes += size
            peak = max(peak, live_bytes)
            continue
        if order == "lifo":
            slot, size = live.pop()
        elif order == "fifo":
            slot, size = live.popleft()
        else:
            index = rng.randrange(len(live))
            live[index], live[-1] = live[-1], live[index]
            slot, size = live.pop()
        trace.append((slot, 0))
        slots.free.append(slot)
        live_bytes -= size
    return trace, peak


def producer_consumer_trace(rng: random.Random, operations: int) -> tuple[Trace, int]:
    """Bursts of 1-8 messages (80% 32..256 bytes, 20% 1..8 KiB) consumed oldest first, plus
    long-lived records (64..2048 bytes, one in twenty bursts) released at random."""
    trace: Trace = []
    slots = _Slots()
    queue: deque[tuple[int, int]] = deque()
    records: list[tuple[int, int]] = []
    live_bytes = peak = 0

    def allocate(size: int) -> tuple[int, int]:
        nonlocal live_bytes, peak
        slot = slots.take()
        trace.append((slot, size))
        live_bytes += size
        peak = max(peak, live_bytes)
        return slot, size

    def release(block: tuple[int, int]) -> None:
        nonlocal live_bytes
        trace.append((block[0], 0))
        slots.free.append(block[0])
        live_bytes -= block[1]

    while len(trace) < operations:
        for _ in range(rng.randint(1, 8)):
            small = rng.random() < 0.8
            queue.append(allocate((rng.randint(32, 256) if small else rng.randint(1024, 8192)) + HEADER))
        if rng.random() < 0.05 or len(records) < LIVE_TARGET // 8 and rng.random() < 0.2:
            records.append(allocate(rng.randint(64, 2048) + HEADER))
        if len(records) > LIVE_TARGET // 4 or records and rng.random() < 0.04:
            index = rng.randrange(len(records))
            records[index], records[-1] = records[-1], records[index]
            release(records.pop())
        consume = rng.randint(1, 8) + max(0, len(queue) - LIVE_TARGET)
        for _ in range(min(consume, len(queue))):
            release(queue.popleft())
    return trace, peak


def traces(seed: int, operations: int) -> list[tuple[str, Trace, int]]:
    """(name, trace, peak live bytes) of every table-1 workload, each from its own seeded RNG."""
    out = []
    for size_name, draw in (("uniform", uniform_sizes), ("pareto", pareto_sizes)):
        for order in ("lifo", "fifo", "random"):
            rng = random.Random(f"{seed}/{size_name}/{order}")
            trace, peak = churn_trace(rng, operations, draw, order)
            out.append((f"{size_name} {order}", trace, peak))
    trace, peak = producer_consumer_trace(random.Random(f"{seed}/producer-consumer"), operations)
    out.append(("producer-consumer", trace, peak))
    return out


def heap_for(peak_bytes: int) -> int:
    """A power-of-two heap of at least four times the peak live bytes."""
    return 1 << (4 * peak_bytes - 1).bit_length()


# ---------------------------------------------------------------- measuring
def slots_of(trace: Trace) -> int:
    return max(slot for slot, _ in trace) + 1


def replay(allocator: Any, trace: Trace, slots: int) -> float:
    """Run the trace through the allocator; seconds of host wall time."""
    allocate, release = allocator.allocate, allocator.release
    addresses: list[int | None] = [None] * slots
    gc.collect()
    gc.disable()
    try:
        started = time.perf_counter()
        for slot, size in trace:
            if size:
                addresses[slot] = allocate(size)
            else:
                address = addresses[slot]
                if address is not None:
                    release(address)
        return time.perf_counter() - started
    finally:
        gc.enable()


@dataclass
class Figures:
    """What table 1 shows for one allocator on one trace."""

    rate: float                  # operations per second (median)
    fragmentation: float
    max_steps: int
    mean_steps: float
    waste: float                 # internal waste / live bytes at peak live bytes
    failures: int


def measure(factory: Callable[..., Any], trace: Trace, heap: int) -> tuple[float, int, float, int, int]:
    """An untimed replay that watches the statistics:
    (fragmentation, max steps, waste at peak, failures, total steps)."""
    allocator = factory(BASE, heap)
    addresses: dict[int, int | None] = {}
    peak_live = waste_at_peak = 0
    for slot, size in trace:
        if size:
            addresses[slot] = allocator.allocate(size)
            stats = allocator.stats()
            if stats.live_bytes > peak_live:
                peak_live, waste_at_peak = stats.live_bytes, stats.internal_waste
        else:
            address = addresses.pop(slot)
            if address is not None:
                allocator.release(address)
    stats = allocator.stats()
    waste = waste_at_peak / peak_live if peak_live else 0.0
    return stats.fragmentation, stats.max_steps, waste, stats.failures, stats.steps


def figures(factories: dict[str, Callable[..., Any]], trace: Trace, heap: int,
            repeat: int) -> dict[str, Figures]:
    """Table-1 figures of every allocator on one trace. The timed replays are interleaved
    (every allocator once per round), so a busy host slows them all alike."""
    slots = slots_of(trace)
    times: dict[str, list[float]] = {name: [] for name in factories}
    for _ in range(repeat):
        for name, factory in factories.items():
            times[name].append(replay(factory(BASE, heap), trace, slots))
    out = {}
    for name, factory in factories.items():
        fragmentation, max_steps, waste, failures, steps = measure(factory, trace, heap)
        out[name] = Figures(len(trace) / statistics.median(times[name]), fragmentation, max_steps,
                            steps / len(trace), waste, failures)
    return out


@dataclass
class Scale:
    """What table 2 shows for one allocator at one number of live blocks."""

    live: int
    rate: float
    max_steps: int
    failures: int


def scale(factory: Callable[..., Any], live: int, pairs: int, warmup: int, repeat: int,
          seed: int) -> Scale:
    """Fill with ``live`` blocks, churn ``warmup`` release+allocate pairs untimed (so the free
    space is as cut up as it gets in a steady state), then time ``pairs`` pairs, ``repeat`` times."""
    rng = random.Random(f"{seed}/scale/{live}")
    sizes = [rng.randint(16, 256) + HEADER for _ in range(live)]
    heap = 1 << (4 * sum(sizes) - 1).bit_length()
    allocator = factory(BASE, heap)
    allocate, release = allocator.allocate, allocator.release
    blocks: list[int | None] = [allocate(size) for size in sizes]
    times = []
    for run in range(-1, repeat):
        count = warmup if run < 0 else pairs
        plan = [(rng.randrange(live), rng.randint(16, 256) + HEADER) for _ in range(count)]
        gc.collect()
        gc.disable()
        try:
            started = time.perf_counter()
            for index, size in plan:
                address = blocks[index]
                if address is not None:
                    release(address)
                blocks[index] = allocate(size)
            if run >= 0:
                times.append(time.perf_counter() - started)
        finally:
            gc.enable()
    stats = allocator.stats()
    return Scale(live, 2 * pairs / statistics.median(times), stats.max_steps, stats.failures)


# ---------------------------------------------------------------- report
def _rate(value: float) -> str:
    return f"{value / 1e3:,.0f} k/s"


def render(head: tuple[str, ...], rows: list[tuple[str, ...]], left: int = 1) -> list[str]:
    """A plain text table; the first ``left`` columns are left-aligned, the rest right-aligned."""
    widths = [max(len(row[i]) for row in [head, *rows]) for i in range(len(head))]

    def line(cells: tuple[str, ...]) -> str:
        return " | ".join(cell.ljust(width) if i < left else cell.rjust(width)
                          for i, (cell, width) in enumerate(zip(cells, widths, strict=True)))

    return [line(head), "-+-".join("-" * width for width in widths), *[line(row) for row in rows]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="short traces and one repeat (smoke test)")
    parser.add_argument("--repeat", type=int, default=None, help="repeats per figure (median; default 5)")
    parser.add_argument("--seed", type=int, default=0, help="seed of every trace (default 0)")
    parser.add_argument("--only", default="", help="comma-separated allocator names (default: all)")
    args = parser.parse_args(argv)
    repeat = args.repeat or (1 if args.quick else 5)
    operations = 4_000 if args.quick else 40_000
    pairs = 1_000 if args.quick else 5_000
    warmup = 2_000 if args.quick else 100_000     # capped at the number of live blocks
    scales = SCALES
    started = time.perf_counter()

    registry = build_registry(load_plugins())
    names = registry.names("allocator")
    if args.only:
        wanted = [name.strip() for name in args.only.split(",") if name.strip()]
        missing = sorted(set(wanted) - set(names))
        if missing:
            parser.error(f"no allocator named {', '.join(missing)} (installed: {', '.join(names)})")
        names = [name for name in names if name in wanted]
    # first-fit, the default, first: the others are compared with it.
    names.sort(key=lambda name: (name != "first-fit", name))
    factories = {name: registry.get("allocator", name).factory for name in names}

    print("osvm allocator benchmark")
    print(f"python  {platform.python_implementation()} {platform.python_version()} on "
          f"{platform.machine()} {platform.system()}; osvm {OSVM_VERSION}; seed {args.seed}")
    print("allocators: " + ", ".join(
        f"{name} ({registry.get('allocator', name).distribution})" for name in names))
    print(f"figures are medians of {repeat} run(s); host wall time of the replay only (perf_counter)")

    workloads = traces(args.seed, operations)
    rows = []
    for trace_name, trace, peak in workloads:
        heap = heap_for(peak)
        results = figures(factories, trace, heap, repeat)
        reference = results.get("first-fit")
        for name, fig in results.items():
            rows.append((
                trace_name, name, _rate(fig.rate),
                f"{fig.rate / reference.rate:.2f}x" if reference else "-",
                f"{fig.fragmentation:.3f}", f"{fig.max_steps:,}", f"{fig.mean_steps:.1f}",
                f"{100 * fig.waste:.1f}%", f"{fig.failures:,}",
            ))
    print(f"\nTable 1: {len(workloads)} traces of {operations:,} operations, ~{LIVE_TARGET:,} live blocks; "
          "requests are size + 8 bytes (the pool header), aligned 8")
    print("\n".join(render(("trace", "allocator", "ops/s", "vs first-fit", "fragmentation",
                            "max steps", "mean steps", "waste", "failures"), rows, left=2)))

    scale_rows = []
    for name, factory in factories.items():
        results = [scale(factory, live, pairs, min(live, warmup), repeat, args.seed) for live in scales]
        cells = [_rate(result.rate) for result in results]
        cells.append(f"{results[-1].rate / results[0].rate:.2f}x")
        cells.append(" / ".join(f"{result.max_steps:,}" for result in results))
        cells.append(f"{sum(result.failures for result in results):,}")
        scale_rows.append((name, *cells))
    columns = tuple(f"ops/s @{live // 1000}k live" for live in scales)
    print(f"\nTable 2: {2 * pairs:,} operations (release a random block + allocate 16..264 bytes) "
          f"at {', '.join(f'{live:,}' for live in scales)} live blocks, after an untimed warm-up of "
          f"min(live, {warmup:,}) such pairs")
    print("\n".join(render(("allocator", *columns, f"{scales[-1] // 1000}k vs {scales[0] // 1000}k",
                            "max steps (" + " / ".join(f"{live // 1000}k" for live in scales) + ")",
                            "failures"), scale_rows)))
    print(f"\ntotal {time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
