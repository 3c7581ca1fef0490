"""Conformance kit: contract tests a third-party board, policy or allocator runs against itself.

Subclass the contract in your own test module and say what to build::

    from osvm_core.testing.conformance import AllocatorContract

    class TestMyAllocator(AllocatorContract):
        @staticmethod
        def make(base, size):
            return MyAllocator(base, size)

pytest collects the inherited tests. They check what the kernel relies on,
not how the plugin does it.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from typing import Any

import pytest

from ..board import InterruptLine
from ..errors import ParameterError
from ..memory.allocator import Allocator, AllocatorStats
from ..scheduling.policy import SchedulingPolicy


# ---------------------------------------------------------------- allocators
class AllocatorContract:
    """What every variable-pool allocator must do."""

    BASE = 0x1000
    SIZE = 64 * 1024

    @staticmethod
    def make(base: int, size: int) -> Allocator:
        raise NotImplementedError

    def test_blocks_are_aligned_inside_the_range_and_disjoint(self) -> None:
        allocator = self.make(self.BASE, self.SIZE)
        rng = random.Random(1)
        live: dict[int, int] = {}
        for _ in range(400):
            if live and rng.random() < 0.4:
                address = rng.choice(sorted(live))
                assert allocator.release(address) == live.pop(address)
                continue
            size = rng.randint(1, 512)
            address = allocator.allocate(size, 8)
            if address is None:
                continue
            assert address % 8 == 0
            assert self.BASE <= address and address + size <= self.BASE + self.SIZE
            for other, other_size in live.items():
                assert address + size <= other or other + other_size <= address
            live[address] = size
            assert allocator.size_of(address) == size
        assert allocator.stats().live_bytes == sum(live.values())

    def test_everything_comes_back(self) -> None:
        allocator = self.make(self.BASE, self.SIZE)
        first = [allocator.allocate(100) for _ in range(50)]
        assert None not in first
        for address in first[::2] + first[1::2]:
            allocator.release(address)
        assert allocator.stats().live_bytes == 0
        big = allocator.allocate(self.SIZE // 2)
        assert big is not None, "after releasing everything, a half-size block must fit again"

    def test_bad_releases_are_refused(self) -> None:
        allocator = self.make(self.BASE, self.SIZE)
        address = allocator.allocate(64)
        with pytest.raises(ParameterError):
            allocator.release(address + 8)
        allocator.release(address)
        with pytest.raises(ParameterError):
            allocator.release(address)

    def test_exhaustion_returns_none_and_is_counted(self) -> None:
        allocator = self.make(self.BASE, self.SIZE)
        assert allocator.allocate(self.SIZE * 2) is None
        assert allocator.stats().failures >= 1

    def test_blocks_inside_a_variable_pool_keep_their_contents_and_all_comes_back(self) -> None:
        from ..memory.variable_pool import HEADER_SIZE, VariablePool

        ram_base, base, size = 0x0C00_0000, 0x0C00_0108, self.SIZE
        ram = bytearray(size + 0x1000)
        pool = VariablePool(memoryview(ram), ram_base, base, size, self.make(base, size))
        rng = random.Random(7)
        live: dict[int, tuple[int, int]] = {}       # user address -> (length, fill byte)
        for step in range(1200):
            if live and rng.random() < 0.45:
                address = rng.choice(sorted(live))
                length, fill = live.pop(address)
                assert bytes(pool.view(address)) == bytes([fill]) * length, "a block was overwritten"
                assert pool.release(address) == length
                with pytest.raises(ParameterError):
                    pool.release(address)           # the header catches a double free
                continue
            length = rng.choice([1, 7, 8, 24, 100, 500, 1000, 3000])
            address = pool.try_get(length)
            if address is None:
                continue
            assert address % 8 == 0 and base <= address - HEADER_SIZE and address + length <= base + size
            fill = step % 251 + 1
            pool.view(address)[:] = bytes([fill]) * length
            live[address] = (length, fill)
        for address, (length, fill) in live.items():
            assert bytes(pool.view(address)) == bytes([fill]) * length
            pool.release(address)
        stats = pool.stats()
        assert stats.live_bytes == 0 and stats.allocations == stats.releases
        assert pool.try_get(size // 2) is not None

    def test_stats_are_reported(self) -> None:
        allocator = self.make(self.BASE, self.SIZE)
        address = allocator.allocate(1000)
        stats = allocator.stats()
        assert isinstance(stats, AllocatorStats)
        assert stats.live_bytes == 1000 and stats.allocations == 1 and stats.max_live_bytes >= 1000
        assert stats.footprint >= 1000 and stats.fragmentation >= 1.0
        allocator.release(address)
        assert allocator.stats().releases == 1


# ---------------------------------------------------------------- scheduling policies
@dataclass(eq=False)
class FakeTask:
    """Just what a policy may look at: id, name, priority and attributes."""

    id: int
    priority: int = 1
    name: str = ""
    attrs: dict[str, Any] = field(default_factory=dict)


class PolicyContract:
    """What every scheduling policy must do for the kernel."""

    @staticmethod
    def make() -> SchedulingPolicy:
        raise NotImplementedError

    def test_pick_leaves_the_task_in_place(self) -> None:
        policy = self.make()
        task = FakeTask(1)
        assert policy.pick() is None
        policy.ready(task)
        assert policy.pick() is task
        assert policy.pick() is task

    def test_blocked_and_exited_tasks_are_never_picked(self) -> None:
        policy = self.make()
        tasks = [FakeTask(i, priority=1 + i % 3) for i in range(1, 7)]
        for task in tasks:
            policy.ready(task)
        for task in tasks[:3]:
            policy.blocked(task)
        policy.exited(tasks[3])
        seen = set()
        for _ in range(50):
            task = policy.pick()
            assert task in tasks[4:]
            seen.add(task.id)
            policy.tick(task, 10_000)
        policy.blocked(tasks[4])
        policy.exited(tasks[5])
        assert policy.pick() is None

    def test_removing_an_absent_task_is_harmless(self) -> None:
        policy = self.make()
        policy.blocked(FakeTask(9))
        policy.exited(FakeTask(9))
        assert policy.pick() is None

    def test_every_ready_task_gets_picked_eventually_when_others_block(self) -> None:
        policy = self.make()
        tasks = [FakeTask(i, priority=1) for i in range(1, 5)]
        for task in tasks:
            policy.ready(task)
        picked = []
        while (task := policy.pick()) is not None:
            picked.append(task)
            policy.blocked(task)
        assert sorted(t.id for t in picked) == [1, 2, 3, 4]

    def test_remaining_is_none_or_positive(self) -> None:
        policy = self.make()
        task = FakeTask(1)
        policy.ready(task)
        remaining = policy.remaining(task)
        assert remaining is None or remaining > 0

    def test_stats_is_a_dict(self) -> None:
        assert isinstance(self.make().stats(), dict)


# ---------------------------------------------------------------- boards
class BoardContract:
    """What every board must do for the OS layer."""

    @staticmethod
    def make(options: dict[str, Any]) -> Any:
        raise NotImplementedError

    OPTIONS: dict[str, Any] = {}

    def test_clock_advances_and_never_goes_back(self) -> None:
        board = self.make(dict(self.OPTIONS))
        start = board.now()
        board.advance(123)
        assert board.now() == start + 123
        board.advance(0)
        assert board.now() == start + 123

    def test_ram_and_lines(self) -> None:
        board = self.make(dict(self.OPTIONS))
        assert isinstance(board.ram, bytearray) and len(board.ram) > 0
        assert isinstance(board.ram_base, int)
        numbers = [line.number for line in board.lines]
        assert len(numbers) == len(set(numbers))
        assert all(isinstance(line, InterruptLine) for line in board.lines)
        assert board.clock_hz > 0

    def test_next_event_is_in_the_future_and_raises_a_line_when_reached(self) -> None:
        board = self.make(dict(self.OPTIONS))
        for line in list(board.pending()):
            board.acknowledge(line)
        due = board.next_event()
        if due is None:
            pytest.skip("this board has no timed device events")
        assert due > board.now()
        board.advance(due - board.now())
        assert board.pending(), "reaching next_event() must raise a line"
        line = board.pending()[0]
        board.acknowledge(line)

    def test_console_output_is_accepted(self) -> None:
        written = bytearray()
        board = self.make(dict(self.OPTIONS, console_out=written.extend))
        board.console_write(b"ok")
        assert bytes(written) == b"ok"
