"""Property tests: random allocate/release sequences against a simple best-fit model."""

from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from osvm_core.testing.allocation import OPS, gaps, long_ops, round8, usable_range
from osvm_mem_bestfit.best_fit import BestFit


def best_fit_choice(free: list[tuple[int, int]], need: int, align: int) -> int | None:
    """The smallest hole with room after its aligned start; the lowest address among equals."""
    fitting = [(length, start) for start, length in free if -(-start // align) * align + need <= start + length]
    if not fitting:
        return None
    start = min(fitting)[1]
    return -(-start // align) * align


def check_sequence(base: int, size: int, ops: list[tuple]) -> None:
    """Run ``ops`` against the model, checking every promise after each one, then release everything."""
    bf = BestFit(base, size)
    lo, hi = usable_range(base, size)
    live: dict[int, int] = {}                     # address -> requested size
    allocations = releases = failures = max_live = max_footprint = 0
    for op in ops:
        if op[0] == "alloc":
            _, want, align = op
            expected = best_fit_choice(gaps(live, lo, hi), round8(want), align)
            got = bf.allocate(want, align)
            assert got == expected
            if got is None:
                failures += 1
            else:
                allocations += 1
                assert got % align == 0 and lo <= got and got + round8(want) <= hi
                live[got] = want
                assert bf.size_of(got) == want
        elif live:
            victim = sorted(live)[op[1] % len(live)]
            assert bf.release(victim) == live.pop(victim)
            releases += 1
        # No overlap and fully coalesced: the free blocks are exactly the gaps of the model.
        assert bf.free_blocks() == gaps(live, lo, hi)
        stats = bf.stats()
        ends = [address + round8(req) for address, req in live.items()]
        footprint = max(ends) - base if ends else 0
        max_live = max(max_live, sum(live.values()))
        max_footprint = max(max_footprint, footprint)
        assert stats.live_bytes == sum(live.values())
        assert stats.internal_waste == sum(round8(r) - r for r in live.values())
        assert stats.footprint == footprint
        assert (stats.max_live_bytes, stats.max_footprint) == (max_live, max_footprint)
        assert (stats.allocations, stats.releases, stats.failures) == (allocations, releases, failures)
    for address in list(live):
        bf.release(address)
    assert bf.free_bytes == bf.capacity == hi - lo
    stats = bf.stats()
    assert stats.live_bytes == stats.internal_waste == stats.footprint == 0
    if hi > lo:
        assert bf.allocate(hi - lo) == lo         # coalescing gave the whole range back


@settings(max_examples=300, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 16), ops=OPS)
def test_best_fit_matches_the_model_and_keeps_every_promise(base: int, size: int, ops: list[tuple]) -> None:
    check_sequence(base, size, ops)


@settings(max_examples=40, deadline=None)
@given(base=st.integers(0, 1 << 20), size=st.integers(0, 1 << 14), seed=st.integers(0, 1 << 32))
def test_long_sequences_on_small_heaps_keep_every_promise(base: int, size: int, seed: int) -> None:
    # Hundreds of operations on a heap that fills up: exhaustion, reuse, long coalescing chains.
    check_sequence(base, size, long_ops(seed))

