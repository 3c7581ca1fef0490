"""Fixed-size memory pool bookkeeping (μITRON ``mpf``).

The pool only decides which block address to hand out; RAM itself is not
touched. ``try_get`` and ``release`` are O(1). Waiting for a block is the
kernel's job: ``try_get`` just returns None when the pool is empty.

Order of hand-out (deterministic, so traces and tests are reproducible): the
most recently released block comes first (LIFO, like a linked free list, so a
block still warm in cache is reused); when no released block is waiting, the
lowest block never handed out yet comes next, so a fresh pool hands out
ascending addresses.
"""

from __future__ import annotations

from osvm_core.errors import ParameterError

BLOCK_ALIGN = 4


class FixedPool:
    """``count`` blocks of ``block_size`` bytes laid out from ``base``.

    ``block_size`` is rounded up to a multiple of 4 so every block stays
    word-aligned on the 32-bit targets (when ``base`` is).
    """

    def __init__(self, base: int, block_size: int, count: int) -> None:
        if not isinstance(block_size, int) or block_size <= 0:
            raise ParameterError(f"block size must be a positive integer, got {block_size!r}")
        if not isinstance(count, int) or count <= 0:
            raise ParameterError(f"block count must be a positive integer, got {count!r}")
        if base < 0:
            raise ParameterError(f"pool base must not be negative, got {base:#x}")
        self.base = base
        self._block_size = -(-block_size // BLOCK_ALIGN) * BLOCK_ALIGN
        self._count = count
        self._fresh = 0                      # index of the lowest block never handed out
        self._released: list[int] = []      # stack of released block indices
        self._used = bytearray(count)        # 1 where the block is handed out

    @property
    def block_size(self) -> int:
        return self._block_size

    @property
    def block_count(self) -> int:
        return self._count

    @property
    def size(self) -> int:
        """Bytes covered by the pool: ``block_size * block_count``."""
        return self._block_size * self._count

    @property
    def free_count(self) -> int:
        return self._count - self._fresh + len(self._released)

    def in_use(self) -> int:
        """Number of blocks handed out and not yet released."""
        return self._count - self.free_count

    def contains(self, address: int) -> bool:
        """True if ``address`` lies anywhere inside the pool's area (not only a block start)."""
        return self.base <= address < self.base + self.size

    def live_blocks(self) -> list[int]:
        """Addresses of the blocks in use, ascending (for dumps; O(count))."""
        return [self.base + i * self._block_size for i, used in enumerate(self._used) if used]

    def try_get(self) -> int | None:
        """Address of a free block, or None when every block is in use."""
        if self._released:
            index = self._released.pop()
        elif self._fresh < self._count:
            index = self._fresh
            self._fresh += 1
        else:
            return None
        self._used[index] = 1
        return self.base + index * self._block_size

    def release(self, address: int) -> None:
        """Give a block back; ParameterError if it is not an allocated block start of this pool."""
        offset = address - self.base
        index, rest = divmod(offset, self._block_size)
        if rest or not 0 <= index < self._count:
            raise ParameterError(
                f"release of {address:#x}: not a block start of the pool at {self.base:#x} "
                f"({self._count} x {self._block_size} bytes)"
            )
        if not self._used[index]:
            raise ParameterError(f"release of {address:#x}: block is not allocated (double free?)")
        self._used[index] = 0
        self._released.append(index)
