"""The decoded module: plain data the decoder produces and the validator checks.

Function bodies are kept as lists of ``(opcode, immediate)`` pairs; the
executor's compact form is derived from them later (``exec.compile``), so the
decoder never needs to know how code is run.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .types import FuncType, GlobalType, MemoryType, TableType

Instr = tuple[int, Any]


@dataclass(slots=True)
class Import:
    module: str
    name: str
    kind: int                                  # types.FUNC/TABLE/MEMORY/GLOBAL
    desc: int | TableType | MemoryType | GlobalType  # type index for functions


@dataclass(slots=True)
class Export:
    name: str
    kind: int
    index: int


@dataclass(slots=True)
class Function:
    type_index: int
    locals: tuple[int, ...] = ()               # declared locals (params excluded)
    body: list[Instr] = field(default_factory=list)
    compiled: Any = None                       # the executor's cached compact code
    offsets: list[int] | None = None           # byte offset in the file of each instruction of body
    index: int = 0                             # index in the function index space (imports first)
    translation: Any = None                    # (Python source, names) from exec.translate


@dataclass(slots=True)
class Global:
    type: GlobalType
    init: list[Instr]


@dataclass(slots=True)
class ElementSegment:
    table: int
    offset: list[Instr]
    funcs: list[int]


@dataclass(slots=True)
class DataSegment:
    memory: int
    offset: list[Instr]
    data: bytes


@dataclass(slots=True)
class Module:
    types: list[FuncType] = field(default_factory=list)
    imports: list[Import] = field(default_factory=list)
    funcs: list[Function] = field(default_factory=list)
    tables: list[TableType] = field(default_factory=list)
    memories: list[MemoryType] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    exports: list[Export] = field(default_factory=list)
    start: int | None = None
    elems: list[ElementSegment] = field(default_factory=list)
    datas: list[DataSegment] = field(default_factory=list)
    customs: list[tuple[str, bytes]] = field(default_factory=list)
    names: dict[int, str] = field(default_factory=dict)   # function names from the "name" section

    def func_name(self, index: int) -> str:
        """``func 7 <crc32>``: a function's index and, when the name section gives one, its name."""
        name = self.names.get(index)
        if name and not name.isprintable():
            name = repr(name)[1:-1]
        return f"func {index} <{name}>" if name else f"func {index}"

    def imported(self, kind: int) -> list[Import]:
        return [imp for imp in self.imports if imp.kind == kind]
