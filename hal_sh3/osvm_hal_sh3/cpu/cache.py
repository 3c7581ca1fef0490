"""The translation cache: compiled units and blocks by address, and their invalidation on code writes.

An entry is the tuple ``(function, instructions, has_slot)`` the run loop
unpacks. Every entry is also registered in the 32-byte *code pages* it covers;
generated stores test ``address >> 5 in pages`` (one set lookup) and call
`CodeCache.invalidate` only on a hit, which drops exactly the entries that
overlap the written bytes. That keeps self-modifying code correct without a
cost on stores to data that merely shares a page with code.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from .translate import compile_translation, translate

PAGE_SHIFT = 5

Entry = tuple[Callable[..., int], int, bool]


class CodeCache:
    """Units (one instruction, or a branch with its slot) and blocks, keyed by start address."""

    def __init__(self, fetch: Callable[[int], int], namespace: dict[str, Any], *, max_block: int,
                 check_alignment: bool, check_privilege: bool, window: bool = False) -> None:
        self.fetch = fetch
        self.namespace = namespace
        self.max_block = max_block
        self.check_alignment = check_alignment
        self.check_privilege = check_privilege
        self.window = window
        self.units: dict[int, Entry] = {}
        self.blocks: dict[int, Entry] = {}
        self.heat: dict[int, int] = {}
        # page -> [(start, end, is_block)]; the generated code holds this dict.
        self.pages: dict[int, list[tuple[int, int, bool]]] = {}
        self.translations = 0  # count of translations made (units + blocks), for reports

    def unit(self, pc: int) -> Entry:
        """The unit at ``pc``, translating it on first use."""
        entry = self.units.get(pc)
        if entry is None:
            entry = self._make(pc, unit=True)
        return entry

    def block(self, pc: int) -> Entry:
        """The block at ``pc``, translating it on first use."""
        entry = self.blocks.get(pc)
        if entry is None:
            entry = self._make(pc, unit=False)
        return entry

    def _make(self, pc: int, unit: bool) -> Entry:
        tr = translate(self.fetch, pc, unit=unit, max_length=self.max_block,
                       check_alignment=self.check_alignment, check_privilege=self.check_privilege,
                       window=self.window)
        namespace = self.namespace
        exec(compile_translation(tr.source), namespace)
        entry: Entry = (namespace.pop("_f"), tr.length, tr.has_slot)
        self.translations += 1
        if not tr.readable:
            return entry  # a fetch failed: don't cache, memory may be mapped later
        (self.units if unit else self.blocks)[pc] = entry
        record = (pc, tr.end, not unit)
        pages = self.pages
        for page in range(pc >> PAGE_SHIFT, ((tr.end - 1) >> PAGE_SHIFT) + 1):
            pages.setdefault(page, []).append(record)
        return entry

    def invalidate(self, address: int, size: int = 1) -> bool:
        """Drop every entry overlapping ``[address, address + size)``; True if any was dropped."""
        pages = self.pages
        stop = address + size
        hit = False
        for page in range(address >> PAGE_SHIFT, ((stop - 1) >> PAGE_SHIFT) + 1):
            records = pages.get(page)
            if not records:
                continue
            for record in [rec for rec in records if rec[0] < stop and address < rec[1]]:
                self._drop(record)
                hit = True
        return hit

    def _drop(self, record: tuple[int, int, bool]) -> None:
        start, end, is_block = record
        (self.blocks if is_block else self.units).pop(start, None)
        if is_block:
            self.heat.pop(start, None)
        pages = self.pages
        for page in range(start >> PAGE_SHIFT, ((end - 1) >> PAGE_SHIFT) + 1):
            records = pages.get(page)
            if records is not None and record in records:
                records.remove(record)
                if not records:
                    del pages[page]

    def flush(self) -> None:
        """Forget every translation (e.g. after a loader rewrote memory wholesale)."""
        self.units.clear()
        self.blocks.clear()
        self.heat.clear()
        self.pages.clear()
