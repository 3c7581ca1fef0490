"""Property tests: random allocate/release sequences keep TLSF's promises."""

from __future__ import annotations

import random

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from osvm_core.testing.allocation import OPS, gaps, long_ops, round8, usable_range
from osvm_mem_tlsf.tlsf import MAX_STEPS, TLSF


def check_sequence(base: int, size: int, sli: int, ops: list[tuple]) -> None:
    """Run ``ops`` and check every promise after each one, then release everything."""
    tlsf = TLSF(base, size, {"sli": sli})
    lo, hi = usable_range(base, size)
    live: dict[int, int] = {}                     # address -> requested size
    allocations = releases = failures = max_live = max_footprint = 0
    for op in ops:
        steps_before = tlsf.stats().steps
        if op[0] == "alloc":
            _, want, align = op
            largest_before = tlsf.largest_free()
            got = tlsf.allocate(want, align)
            if got is None:
                failures += 1
                if align <= 8:
                    # Good fit: a failure means no free block reaches the request's rounded class.
                    need = round8(want)
                    assert largest_before < need + (need >> sli) or need > hi - lo
            else:
                allocations += 1
                assert got % align == 0
                assert lo <= got and got + round8(want) <= hi
                live[got] = want
                assert tlsf.size_of(got) == want
        elif live:
            victim = sorted(live)[op[1] % len(live)]
            assert tlsf.release(victim) == live.pop(victim)
            releases += 1
        assert tlsf.stats().steps - steps_before <= MAX_STEPS
        # No overlap, inside the range, fully coalesced: the free list is exactly the gaps
        # between live blocks, so no two free blocks are adjacent and no byte is lost.
        assert tlsf.free_blocks() == gaps(live, lo, hi)
        stats = tlsf.stats()
        ends = [address + round8(req) for address, req in live.items()]
        footprint = max(ends) - base if ends else 0
        max_live = max(max_live, sum(live.values()))
        max_footprint = max(max_footprint, footprint)
        assert stats.live_bytes == sum(live.values())
        assert stats.internal_waste == sum(round8(r) - r for r in live.values())
        assert stats.footprint == footprint
        assert (stats.max_live_bytes, stats.max_footprint) == (max_live, max_footprint)
        assert (stats.allocations, stats.releases, stats.failures) == (allocations, releases, failures)
        assert stats.max_steps <= MAX_STEPS
    for address in list(live):
        tlsf.release(address)
    assert tlsf.free_bytes == tlsf.capacity == hi - lo
    stats = tlsf.stats()
    assert stats.live_bytes == stats.internal_waste == stats.footprint == 0
    if hi > lo:
        assert tlsf.allocate(hi - lo) == lo       # coalescing gave the whole range back


@settings(max_examples=300, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 16), sli=st.integers(1, 6), ops=OPS)
def test_random_sequences_keep_every_promise(base: int, size: int, sli: int, ops: list[tuple]) -> None:
    check_sequence(base, size, sli, ops)


@settings(max_examples=40, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 14), sli=st.integers(1, 6), seed=st.integers(0, 1 << 32))
def test_long_sequences_on_small_heaps_keep_every_promise(base: int, size: int, sli: int, seed: int) -> None:
    # Hundreds of operations on a heap that fills up: exhaustion, reuse, long coalescing chains.
    check_sequence(base, size, sli, long_ops(seed))


def churn(tlsf: TLSF, sizes: list[int], live_target: int, operations: int, seed: int) -> tuple[int, int]:
    """Fill to ``live_target`` blocks, then allocate/release at random; (live blocks, worst op steps)."""
    rng = random.Random(seed)
    live: list[int] = []
    worst = 0
    while len(live) < live_target:
        address = tlsf.allocate(rng.choice(sizes))
        assert address is not None
        live.append(address)
    peak = len(live)
    for _ in range(operations):
        before = tlsf.stats().steps
        if rng.random() < 0.5 and live:
            index = rng.randrange(len(live))
            live[index], live[-1] = live[-1], live[index]
            tlsf.release(live.pop())
        else:
            align = 64 if rng.random() < 0.1 else 8
            address = tlsf.allocate(rng.choice(sizes), align)
            if address is not None:
                live.append(address)
        worst = max(worst, tlsf.stats().steps - before)
        peak = max(peak, len(live))
    return peak, worst


@pytest.mark.parametrize("heap, sizes, live_target", [
    (64 << 10, list(range(1, 25)), 2_500),             # 64 KiB, tiny blocks
    (64 << 20, [1 << k for k in range(3, 15)], 4_000),  # 64 MiB, blocks up to 16 KiB
])
def test_steps_per_operation_do_not_grow_with_heap_or_live_blocks(heap: int, sizes: list[int],
                                                                   live_target: int) -> None:
    tlsf = TLSF(0x4000_0000, heap)
    peak, worst = churn(tlsf, sizes, live_target, 6_000, seed=heap)
    assert peak >= live_target
    assert worst <= MAX_STEPS
    assert tlsf.stats().max_steps <= MAX_STEPS
    assert tlsf.stats().max_steps >= 5          # the bound is reached, not vacuous
