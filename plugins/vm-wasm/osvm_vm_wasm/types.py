"""Value types and the type descriptions of functions, tables, memories and globals."""

from __future__ import annotations

from dataclasses import dataclass

# Value types are kept as their binary codes: compact, hashable, easy to decode.
I32 = 0x7F
I64 = 0x7E
F32 = 0x7D
F64 = 0x7C
FUNCREF = 0x70

VALTYPES = (I32, I64, F32, F64)
TYPE_NAMES = {I32: "i32", I64: "i64", F32: "f32", F64: "f64", FUNCREF: "funcref"}
TYPE_BY_NAME = {name: code for code, name in TYPE_NAMES.items()}

PAGE_SIZE = 65536
MAX_PAGES = 65536


@dataclass(frozen=True, slots=True)
class FuncType:
    params: tuple[int, ...]
    results: tuple[int, ...]

    def __str__(self) -> str:
        p = " ".join(TYPE_NAMES[t] for t in self.params)
        r = " ".join(TYPE_NAMES[t] for t in self.results)
        return f"[{p}] -> [{r}]"


@dataclass(frozen=True, slots=True)
class Limits:
    min: int
    max: int | None = None

    def fits_in(self, other: Limits) -> bool:
        """Import matching: ``self`` (the actual) is a subtype of ``other`` (the expected)."""
        if self.min < other.min:
            return False
        if other.max is None:
            return True
        return self.max is not None and self.max <= other.max


@dataclass(frozen=True, slots=True)
class TableType:
    limits: Limits
    elem: int = FUNCREF


@dataclass(frozen=True, slots=True)
class MemoryType:
    limits: Limits


@dataclass(frozen=True, slots=True)
class GlobalType:
    valtype: int
    mutable: bool


# Kinds of imports and exports, as in the binary format.
FUNC, TABLE, MEMORY, GLOBAL = 0, 1, 2, 3
KIND_NAMES = {FUNC: "func", TABLE: "table", MEMORY: "memory", GLOBAL: "global"}
