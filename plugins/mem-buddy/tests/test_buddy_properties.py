"""Property tests: random allocate/release sequences keep the buddy system's promises."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from osvm_core.testing.allocation import OPS, long_ops
from osvm_mem_buddy.buddy import Buddy


def power_of_two_at_least(n: int) -> int:
    return max(8, 1 << (n - 1).bit_length())


def check_layout(buddy: Buddy, live: dict[int, int], lo: int, hi: int) -> None:
    """Live and free blocks tile the range; blocks are aligned powers of two; buddies are merged."""
    origin = buddy.region[0]
    free = buddy.free_blocks()
    used = [buddy.block_of(address) for address in live]
    cursor = lo
    for block, size in sorted(free + used):
        assert block == cursor, "blocks overlap or leave a hole"
        assert size & (size - 1) == 0 and size >= 8 and (block - origin) % size == 0
        cursor += size
    assert cursor == hi
    free_set = set(free)
    for block, size in free:
        buddy_block = origin + ((block - origin) ^ size)
        parent = min(block, buddy_block)
        if lo <= parent and parent + 2 * size <= hi:
            assert (buddy_block, size) not in free_set, "two free buddies were left unmerged"
    for address, requested in live.items():
        block, size = buddy.block_of(address)
        assert block <= address and address + requested <= block + size


def check_sequence(base: int, size: int, ops: list[tuple]) -> None:
    """Run ``ops`` and check every promise after each one, then release everything."""
    buddy = Buddy(base, size)
    lo = (base + 7) // 8 * 8
    hi = max(lo, (base + size) // 8 * 8)
    trees = buddy.trees()
    assert sum(length for _, length in trees) == buddy.capacity == hi - lo
    orders = buddy.largest_block.bit_length() - 1
    bound = 2 + 2 * max(0, orders - 3)
    live: dict[int, int] = {}                     # address -> requested size
    allocations = releases = failures = max_live = max_footprint = 0
    for op in ops:
        if op[0] == "alloc":
            _, want, align = op
            largest_before = buddy.largest_free()
            got = buddy.allocate(want, align)
            if got is None:
                failures += 1
                if align <= 8:
                    assert largest_before < power_of_two_at_least(want)
            else:
                allocations += 1
                assert got % align == 0 and lo <= got and got + want <= hi
                live[got] = want
                assert buddy.size_of(got) == want
        elif live:
            victim = sorted(live)[op[1] % len(live)]
            assert buddy.release(victim) == live.pop(victim)
            releases += 1
        check_layout(buddy, live, lo, hi)
        stats = buddy.stats()
        blocks = [buddy.block_of(address) for address in live]
        footprint = max(block + length for block, length in blocks) - base if blocks else 0
        max_live = max(max_live, sum(live.values()))
        max_footprint = max(max_footprint, footprint)
        assert stats.live_bytes == sum(live.values())
        assert stats.internal_waste == sum(length for _, length in blocks) - sum(live.values())
        assert stats.footprint == footprint
        assert (stats.max_live_bytes, stats.max_footprint) == (max_live, max_footprint)
        assert (stats.allocations, stats.releases, stats.failures) == (allocations, releases, failures)
        assert stats.max_steps <= bound
    for address in list(live):
        buddy.release(address)
    assert buddy.free_blocks() == trees           # every byte back, every buddy merged
    assert buddy.free_bytes == buddy.capacity
    stats = buddy.stats()
    assert stats.live_bytes == stats.internal_waste == stats.footprint == 0
    if buddy.largest_block:
        assert buddy.allocate(buddy.largest_block) == buddy.region[0]


@settings(max_examples=300, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 16), ops=OPS)
def test_random_sequences_keep_every_promise(base: int, size: int, ops: list[tuple]) -> None:
    check_sequence(base, size, ops)


@settings(max_examples=40, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 14), seed=st.integers(0, 1 << 32))
def test_long_sequences_on_small_heaps_keep_every_promise(base: int, size: int, seed: int) -> None:
    # Hundreds of operations on a heap that fills up: exhaustion, reuse, long coalescing chains.
    check_sequence(base, size, long_ops(seed))

