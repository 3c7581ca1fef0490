"""Property tests: random allocate/release sequences against a simple model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from osvm_core.memory.first_fit import FirstFit
from osvm_core.memory.fixed_pool import FixedPool
from osvm_core.memory.variable_pool import HEADER_SIZE, VariablePool
from osvm_core.testing.allocation import gaps, round8, usable_range

# An operation: ("alloc", size, align) or ("free", pick) where pick chooses a live block.
ALIGNS = st.sampled_from([1, 2, 4, 8, 16, 64, 256, 4096])
ALLOC = st.tuples(st.just("alloc"), st.integers(1, 4096), ALIGNS)
FREE = st.tuples(st.just("free"), st.integers(0, 1 << 30))
OPS = st.lists(st.one_of(ALLOC, ALLOC, FREE), max_size=120)


def first_fit_choice(free: list[tuple[int, int]], need: int, align: int) -> int | None:
    for start, length in free:
        address = -(-start // align) * align
        if address + need <= start + length:
            return address
    return None


@settings(max_examples=300, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 16), ops=OPS)
def test_first_fit_matches_model(base: int, size: int, ops: list[tuple]) -> None:
    ff = FirstFit(base, size)
    lo, hi = usable_range(base, size)
    live: dict[int, tuple[int, int]] = {}        # address -> (rounded, requested)
    allocations = releases = failures = 0
    max_live = max_footprint = 0
    for op in ops:
        if op[0] == "alloc":
            _, want, align = op
            expected = first_fit_choice(gaps(live, lo, hi, length=lambda block: block[0]), round8(want), align)
            got = ff.allocate(want, align)
            assert got == expected
            if got is None:
                failures += 1
            else:
                allocations += 1
                assert got % align == 0
                live[got] = (round8(want), want)
        elif live:
            victims = sorted(live)
            victim = victims[op[1] % len(victims)]
            assert ff.release(victim) == live.pop(victim)[1]
            releases += 1
        # No overlap, all inside the range: the model's gaps must be exactly the free list,
        # which also proves the free list is fully coalesced (no two adjacent free blocks).
        ends = sorted((a, a + r) for a, (r, _) in live.items())
        for (_, end), (start, _) in zip(ends, ends[1:], strict=False):
            assert end <= start
        assert all(lo <= a and e <= hi for a, e in ends)
        assert ff.free_blocks() == gaps(live, lo, hi, length=lambda block: block[0])
        stats = ff.stats()
        live_bytes = sum(req for _, req in live.values())
        footprint = ends[-1][1] - base if ends else 0
        max_live = max(max_live, live_bytes)
        max_footprint = max(max_footprint, footprint)
        assert stats.live_bytes == live_bytes
        assert stats.internal_waste == sum(r - req for r, req in live.values())
        assert stats.footprint == footprint
        assert (stats.max_live_bytes, stats.max_footprint) == (max_live, max_footprint)
        assert (stats.allocations, stats.releases, stats.failures) == (allocations, releases, failures)
        assert stats.max_steps <= stats.steps
    for address in list(live):
        ff.release(address)
    assert ff.stats().live_bytes == 0
    assert ff.free_bytes == hi - lo
    if hi > lo:
        assert ff.allocate(hi - lo) == lo
        assert ff.allocate(1) is None


@settings(max_examples=150, deadline=None)
@given(size=st.integers(64, 1 << 15), ops=OPS, seed=st.integers(0, 255))
def test_variable_pool_blocks_keep_their_contents(size: int, ops: list[tuple], seed: int) -> None:
    ram_base = 0x8000_0000
    ram = memoryview(bytearray(size + 64))
    base = ram_base + 32
    pool = VariablePool(ram, ram_base, base, size, FirstFit(base, size))
    live: dict[int, tuple[int, int]] = {}        # user address -> (size, fill byte)
    for number, op in enumerate(ops):
        if op[0] == "alloc":
            want = op[1]
            address = pool.try_get(want)
            if address is None:
                continue
            assert address % 8 == 0
            assert base + HEADER_SIZE <= address and address + want <= base + size
            fill = (seed + number) % 251 + 1
            pool.view(address)[:] = bytes([fill]) * want
            live[address] = (want, fill)
        elif live:
            victims = sorted(live)
            victim = victims[op[1] % len(victims)]
            want, fill = live.pop(victim)
            assert bytes(pool.view(victim)) == bytes([fill]) * want
            assert pool.release(victim) == want
        assert pool.stats().live_bytes == sum(w + HEADER_SIZE for w, _ in live.values())
    for address, (want, fill) in live.items():
        assert pool.size_of(address) == want
        assert bytes(pool.view(address)) == bytes([fill]) * want
        pool.release(address)
    whole = pool.allocator.capacity - HEADER_SIZE
    assert pool.try_get(whole) == base + HEADER_SIZE


@settings(max_examples=200, deadline=None)
@given(
    block_size=st.integers(1, 100),
    count=st.integers(1, 40),
    ops=st.lists(st.one_of(st.just(None), st.integers(0, 1 << 20)), max_size=150),
)
def test_fixed_pool_accounting(block_size: int, count: int, ops: list[int | None]) -> None:
    pool = FixedPool(0x2000, block_size, count)
    size = pool.block_size
    assert size % 4 == 0 and block_size <= size < block_size + 4
    fresh = [0x2000 + i * size for i in range(count)]
    stack: list[int] = []                       # model: released blocks, LIFO
    held: set[int] = set()
    for op in ops:
        if op is None:
            expected = stack.pop() if stack else (fresh.pop(0) if fresh else None)
            got = pool.try_get()
            assert got == expected
            if got is not None:
                assert got not in held
                assert pool.contains(got) and pool.contains(got + size - 1)
                held.add(got)
        elif held:
            victim = sorted(held)[op % len(held)]
            pool.release(victim)
            held.remove(victim)
            stack.append(victim)
        assert pool.free_count + pool.in_use() == count
        assert pool.in_use() == len(held)
        assert pool.live_blocks() == sorted(held)
