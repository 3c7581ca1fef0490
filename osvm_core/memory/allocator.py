"""The placement-policy interface for variable-size pools.

An allocator decides *where* a block goes inside ``[base, base + size)``; it
keeps its own bookkeeping in Python and never touches RAM. The pool that uses
it writes a header in front of each block (the paper's "management area per
block"), so allocators stay simple and interchangeable.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar


@dataclass
class AllocatorStats:
    """Figures every allocator reports (bytes and step counts)."""

    live_bytes: int = 0        # bytes currently handed out (as requested)
    footprint: int = 0         # bytes from base to the end of the highest live block
    max_live_bytes: int = 0
    max_footprint: int = 0
    allocations: int = 0
    releases: int = 0
    failures: int = 0          # allocate() calls that returned None
    steps: int = 0             # total search steps (blocks visited, splits, merges)
    max_steps: int = 0         # worst single operation
    internal_waste: int = 0    # bytes handed out beyond what was asked (rounding, alignment)

    def count_steps(self, steps: int) -> None:
        """One operation took ``steps`` steps."""
        self.steps += steps
        if steps > self.max_steps:
            self.max_steps = steps

    def count_failure(self, steps: int) -> None:
        """An allocate() that found no room after ``steps`` steps."""
        self.failures += 1
        self.count_steps(steps)

    def settle(self, steps: int, footprint: int) -> None:
        """After a successful operation: its steps, the new footprint, and the maxima."""
        self.count_steps(steps)
        self.footprint = footprint
        if footprint > self.max_footprint:
            self.max_footprint = footprint
        if self.live_bytes > self.max_live_bytes:
            self.max_live_bytes = self.live_bytes

    @property
    def fragmentation(self) -> float:
        """Max footprint divided by max live bytes (1.0 is perfect packing)."""
        return self.max_footprint / self.max_live_bytes if self.max_live_bytes else 1.0

    def as_dict(self) -> dict[str, Any]:
        data = dict(self.__dict__)
        data["fragmentation"] = round(self.fragmentation, 4)
        return data


class Allocator:
    """Base class: place blocks in ``[base, base + size)``."""

    name: ClassVar[str] = "abstract"

    def __init__(self, base: int, size: int, options: dict[str, Any] | None = None) -> None:
        self.base = base
        self.size = size
        self.options = dict(options or {})

    def allocate(self, size: int, align: int = 8) -> int | None:
        """Address of a new block of at least ``size`` bytes aligned to ``align``, or None."""
        raise NotImplementedError

    def release(self, address: int) -> int:
        """Free the block at ``address``; return its size. Raise ParameterError if not live."""
        raise NotImplementedError

    def size_of(self, address: int) -> int:
        """Requested size of the live block at ``address``. Raise ParameterError if not live."""
        raise NotImplementedError

    def stats(self) -> AllocatorStats:
        raise NotImplementedError
