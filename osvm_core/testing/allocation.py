"""Test support for allocators: random operation lists (hypothesis) and a model of the heap.

Property tests of every allocator draw their operations from ``OPS`` (or ``long_ops``
for long seeded runs) and compare the allocator with the model's free pieces.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

from hypothesis import strategies as st

# An operation: ("alloc", size, align) or ("free", pick) where pick chooses a live block.
ALIGNS = st.sampled_from([1, 2, 4, 8, 8, 8, 16, 64, 256, 4096])
ALLOC = st.tuples(st.just("alloc"), st.integers(1, 4096), ALIGNS)
FREE = st.tuples(st.just("free"), st.integers(0, 1 << 30))
OPS = st.lists(st.one_of(ALLOC, ALLOC, FREE), max_size=120)


def round8(n: int) -> int:
    return (n + 7) // 8 * 8


def usable_range(base: int, size: int) -> tuple[int, int]:
    """The 8-aligned part of ``[base, base + size)`` that an allocator may hand out."""
    lo = round8(base)
    return lo, max(lo, (base + size) // 8 * 8)


def gaps(live: dict[int, Any], lo: int, hi: int,
         length: Callable[[Any], int] = round8) -> list[tuple[int, int]]:
    """The free (start, length) pieces between live blocks; ``length(value)`` sizes a block."""
    out, cursor = [], lo
    for address in sorted(live):
        if address > cursor:
            out.append((cursor, address - cursor))
        cursor = address + length(live[address])
    if hi > cursor:
        out.append((cursor, hi - cursor))
    return out


def long_ops(seed: int, count: int = 400) -> list[tuple]:
    """A long operation list in the shape of OPS, from a seed (cheap to generate, not shrunk)."""
    rng = random.Random(seed)
    aligns = [1, 8, 8, 8, 16, 64, 256, 4096]
    return [("alloc", rng.randint(1, 1 << rng.randint(1, 11)), rng.choice(aligns)) if rng.random() < 0.55
            else ("free", rng.randrange(1 << 30)) for _ in range(count)]
