"""What the validator knows about a module while checking one piece of it (the spec's C)."""

from __future__ import annotations

from dataclasses import dataclass, field

from ..types import FuncType, GlobalType, MemoryType, TableType


@dataclass(slots=True)
class Context:
    types: list[FuncType]
    funcs: list[FuncType]                  # imported first, then defined
    tables: list[TableType]
    memories: list[MemoryType]
    globals: list[GlobalType]
    imported_globals: int = 0
    locals: list[int] = field(default_factory=list)
    results: tuple[int, ...] = ()
