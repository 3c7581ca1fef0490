"""Property tests: random operation sequences executed by real tasks through the real kernel.

Each example builds a small system whose tasks replay operation lists drawn by
hypothesis (passed to the guests through the ``scenario`` module), runs it, and
checks invariants both while it runs (the kernel object is watched) and at the end.
Derandomized, so every run explores the same examples.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from osvm_core.errors import E_QOVR, E_TMOUT, QueueOverflow
from osvm_core.testing.scenario import build_scenario, new_recorder, system

SETTINGS = settings(max_examples=150, derandomize=True, deadline=None, database=None,
                    suppress_health_check=[HealthCheck.too_slow])

_counter = itertools.count()


@pytest.fixture(scope="module")
def workdir(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("properties")


def tasks_toml(count: int, priorities: list[int], entry: str) -> str:
    return "".join(f"""
[[task]]
name = "t{i}"
vm = "app"
entry = "{entry}"
priority = {priorities[i]}
args = [{i}]
""" for i in range(count))


# ---------------------------------------------------------------- semaphores
SEM_GUEST = """
from osvm_core.errors import OsvmError
from osvm_vm_python.guest import delay, export, sem, work
from scenario import data, note


@export("func(index: s32)")
def player(index):
    s = sem("s")
    for op in data["ops"][index]:
        kind = op[0]
        if kind == "work":
            yield work(op[1])
            continue
        if kind == "delay":
            yield delay(op[1])
            continue
        request = {"wait": lambda: s.wait(), "poll": lambda: s.poll(),
                   "twait": lambda: s.wait(op[1]), "signal": lambda: s.signal()}[kind]()
        try:
            yield request
            note(index, kind, 0)
        except OsvmError as error:
            note(index, kind, error.code)
        data["check"]()
"""

SEM_OP = st.one_of(
    st.just(("wait",)),
    st.just(("poll",)),
    st.tuples(st.just("twait"), st.integers(1, 400)),
    st.just(("signal",)),
    st.just(("signal",)),
    st.tuples(st.just("work"), st.integers(1, 300)),
    st.tuples(st.just("delay"), st.integers(0, 300)),
)


@st.composite
def semaphore_cases(draw):
    count = draw(st.integers(2, 4))
    maximum = draw(st.integers(1, 4))
    return {
        "ops": [draw(st.lists(SEM_OP, max_size=12)) for _ in range(count)],
        "priorities": [draw(st.integers(1, 3)) for _ in range(count)],
        "initial": draw(st.integers(0, maximum)),
        "maximum": maximum,
        "order": draw(st.sampled_from(["fifo", "priority"])),
        "scheduler": draw(st.sampled_from(["round-robin", "priority"])),
    }


@SETTINGS
@given(case=semaphore_cases())
def test_semaphore_operations_keep_the_count_in_range_and_lose_no_wake_up(workdir, case):
    recorder = new_recorder()
    recorder.data["ops"] = case["ops"]
    count = len(case["ops"])
    s = build_scenario(workdir / f"sem{next(_counter)}", {"g.py": SEM_GUEST}, system(f"""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "{case['scheduler']}"
        load = ["g.py"]

        [[semaphore]]
        name = "s"
        count = {case['initial']}
        max = {case['maximum']}
        order = "{case['order']}"
    """) + tasks_toml(count, case["priorities"], "g/player"), recorder=recorder)
    semaphore = s.kernel.objects.get("sem", "s")
    maximum = case["maximum"]
    changes = {"signals": 0, "overflows": 0}

    def in_range() -> None:
        assert 0 <= semaphore.count <= maximum
        assert semaphore.count == 0 or not semaphore.queue   # resources never sit beside waiters

    original_signal = semaphore.signal

    def watched_signal() -> None:
        before = (semaphore.count, len(semaphore.queue))
        try:
            original_signal()
        except QueueOverflow:
            assert before == (maximum, 0) == (semaphore.count, len(semaphore.queue))
            changes["overflows"] += 1
            raise
        # exactly one effect: the count went up by one, or one waiter was released
        gained = semaphore.count - before[0]
        released = before[1] - len(semaphore.queue)
        assert (gained, released) in ((1, 0), (0, 1))
        changes["signals"] += 1
        in_range()

    semaphore.signal = watched_signal
    recorder.data["check"] = in_range
    report = s.run(max_cycles=10_000_000)
    assert report.reason in ("finished", "deadlock")
    assert s.kernel.faults == []
    in_range()

    notes = [p for p in s.points if len(p) == 3]
    succeeded = sum(1 for _, kind, code in notes if kind in ("wait", "poll", "twait") and code == 0)
    signalled = sum(1 for _, kind, code in notes if kind == "signal" and code == 0)
    assert signalled == changes["signals"]
    assert sum(1 for _, kind, code in notes if kind == "signal" and code == E_QOVR) == changes["overflows"]
    # no lost wake-up: every successful signal is matched by a wait or by the count
    assert signalled - succeeded == semaphore.count - case["initial"]
    for _, kind, code in notes:
        if kind == "poll" or kind == "twait":
            assert code in (0, E_TMOUT)
        elif kind == "wait":
            assert code == 0
    if report.reason == "deadlock":
        # only tasks blocked for ever on an empty semaphore may remain
        assert semaphore.count == 0
        waiting = [t for t in s.kernel.tasks.values() if t.wait is not None and not t.daemon]
        assert waiting and all(t.wait.queue is semaphore.queue for t in waiting)
        assert len(waiting) == len(semaphore.queue)
    else:
        # every task replayed all its operations (work and delay leave no note)
        for index, ops in enumerate(case["ops"]):
            replayed = [kind for i, kind, _ in notes if i == index]
            assert replayed == [op[0] for op in ops if op[0] not in ("work", "delay")]


# ---------------------------------------------------------------- memory pools
POOL_GUEST = """
from osvm_core.errors import Timeout
from osvm_vm_python.guest import export, mpf, mpl, read_memory, work, write_memory
from scenario import data, note


@export("func(index: s32)")
def player(index):
    held = []                   # (kind, address, size, pattern)
    serial = 0
    for op in data["ops"][index]:
        kind = op[0]
        if kind == "work":
            yield work(op[1])
        elif kind == "release":
            if held:
                item = held.pop(op[1] % len(held))
                yield from give_back(item)
        else:
            size = data["block"] if kind == "mpf" else op[1]
            pool = mpf("f") if kind == "mpf" else mpl("v")
            timeout = op[2]
            try:
                address = yield (pool.get(timeout) if kind == "mpf" else pool.get(size, timeout))
            except Timeout:
                note(index, kind, "timeout")
                continue
            data["took"](kind, address, size)
            serial += 1
            pattern = bytes([(index * 37 + serial) % 251 + 1]) * size
            yield write_memory(address, pattern)
            held.append((kind, address, size, pattern))
            note(index, kind, "ok")
    while held:
        yield from give_back(held.pop())


def give_back(item):
    kind, address, size, pattern = item
    contents = yield read_memory(address, size)
    data["intact"](kind, address, contents == pattern)
    data["gave"](kind, address)
    yield (mpf("f") if kind == "mpf" else mpl("v")).release(address)
"""

TIMEOUT = st.one_of(st.just(0), st.integers(1, 400))
POOL_OP = st.one_of(
    st.tuples(st.just("mpf"), st.just(0), TIMEOUT),
    st.tuples(st.just("mpl"), st.integers(1, 120), TIMEOUT),
    st.tuples(st.just("release"), st.integers(0, 7)),
    st.tuples(st.just("release"), st.integers(0, 7)),
    st.tuples(st.just("work"), st.integers(1, 200)),
)


@st.composite
def pool_cases(draw):
    count = draw(st.integers(2, 4))
    return {
        "ops": [draw(st.lists(POOL_OP, max_size=12)) for _ in range(count)],
        "priorities": [draw(st.integers(1, 3)) for _ in range(count)],
        "block": draw(st.integers(1, 40)),
        "blocks": draw(st.integers(1, 4)),
        "size": draw(st.sampled_from([128, 256, 512])),
        "order": draw(st.sampled_from(["fifo", "priority"])),
        "scheduler": draw(st.sampled_from(["round-robin", "priority"])),
    }


@SETTINGS
@given(case=pool_cases())
def test_pool_operations_never_hand_out_overlapping_blocks_and_get_all_memory_back(workdir, case):
    recorder = new_recorder()
    recorder.data.update(ops=case["ops"], block=case["block"])
    count = len(case["ops"])
    s = build_scenario(workdir / f"pool{next(_counter)}", {"g.py": POOL_GUEST}, system(f"""
        [[vm]]
        name = "app"
        kind = "python"
        scheduler = "{case['scheduler']}"
        load = ["g.py"]

        [[pool]]
        name = "f"
        kind = "fixed"
        block = {case['block']}
        count = {case['blocks']}
        order = "{case['order']}"

        [[pool]]
        name = "v"
        kind = "variable"
        size = {case['size']}
        order = "{case['order']}"
    """) + tasks_toml(count, case["priorities"], "g/player"), recorder=recorder)
    fixed = s.kernel.objects.get("mpf", "f")
    variable = s.kernel.objects.get("mpl", "v")
    start_free = fixed.pool.free_count
    start_live = variable.pool.stats().live_bytes
    held: dict[int, tuple[str, int]] = {}         # address -> (kind, size), across every task
    problems: list[str] = []

    def took(kind: str, address: int, size: int) -> None:
        pool = fixed.pool if kind == "mpf" else variable.pool
        extent = fixed.pool.block_size if kind == "mpf" else size
        if not (pool.base <= address and address + extent <= pool.base + pool.size):
            problems.append(f"{kind} block {address:#x}+{extent} outside its pool")
        for other, (other_kind, other_size) in held.items():
            if address < other + other_size and other < address + extent:
                problems.append(f"{kind} block {address:#x}+{extent} overlaps {other_kind} {other:#x}+{other_size}")
        held[address] = (kind, extent)

    def gave(kind: str, address: int) -> None:
        assert held.pop(address)[0] == kind

    def intact(kind: str, address: int, ok: bool) -> None:
        if not ok:
            problems.append(f"{kind} block {address:#x} was overwritten while held")

    recorder.data.update(took=took, gave=gave, intact=intact)
    report = s.run(max_cycles=10_000_000)
    assert report.reason == "finished"                 # gets only poll or time out: no deadlock
    assert s.kernel.faults == []
    assert problems == []
    assert held == {}
    assert fixed.pool.free_count == start_free == case["blocks"]
    assert variable.pool.stats().live_bytes == start_live == 0
    assert fixed.holders == {} and variable.holders == {}
    assert not fixed.queue and not variable.queue
    notes = [p for p in s.points if len(p) == 3]
    gets = sum(1 for ops in case["ops"] for op in ops if op[0] in ("mpf", "mpl"))
    assert len(notes) == gets                          # every get either succeeded or timed out
