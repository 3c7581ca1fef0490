"""The 1553 bus tasks of the Mars Pathfinder lander, scaled down to cycles.

``bc_sched`` (the highest priority) starts a bus cycle every PERIOD cycles and
first checks that ``bc_dist`` finished the previous one; on the lander a
miss meant the watchdog reset the whole computer. ``bc_dist`` (the next
priority) distributes each cycle's data and holds the information-bus mutex
for a short while to do it.
"""

from osvm_core.errors import Timeout
from osvm_vm_python.guest import delay, export, mtx, now, sem, work, write

PERIOD = 10_000        # one bus cycle: 10 ms at 1 MHz (the lander ran at 8 Hz)
CYCLES = 8
DIST_AT = 1_000        # when bc_dist is released in each cycle
DIST_WORK = 500        # what it does with the bus held


def until(cycle):
    t = yield now()
    if cycle > t:
        yield delay(cycle - t)


def stamp(t):
    return f"{t / 1000:7.3f} ms"


@export("func() -> s32")
def bc_sched():
    done = sem("dist_done")
    resets = 0
    for k in range(1, CYCLES + 1):
        yield from until(k * PERIOD)
        try:
            yield done.poll()
        except Timeout:
            resets += 1
            t = yield now()
            yield write(f"{stamp(t)}  bc_sched  bus cycle {k - 1} is not finished: WATCHDOG RESET #{resets}\n")
    yield write(f"== bc_sched: {resets} watchdog reset(s) in {CYCLES} bus cycles\n")
    return 0


@export("func() -> s32")
def bc_dist():
    bus = mtx("bus")
    done = sem("dist_done")
    longest = 0
    k = 0
    while k < CYCLES:
        t = yield now()
        if t > k * PERIOD + DIST_AT:                   # too late for these cycles: skip them
            skipped_to = (t - DIST_AT) // PERIOD + 1
            yield write(f"{stamp(t)}  bc_dist   skips bus cycle(s) {k}..{skipped_to - 1}\n")
            k = skipped_to
            continue
        yield from until(k * PERIOD + DIST_AT)
        asked = yield now()
        yield bus.lock()
        got = yield now()
        yield work(DIST_WORK)
        yield bus.unlock()
        yield done.signal()
        t = yield now()
        longest = max(longest, got - asked)
        late = "  DEADLINE MISSED" if t > (k + 1) * PERIOD else ""
        yield write(f"{stamp(t)}  bc_dist   bus cycle {k} done, waited {got - asked:>5} cycles for the bus{late}\n")
        k += 1
    yield write(f"== bc_dist: longest wait for the bus {longest} cycles\n")
    return 0
