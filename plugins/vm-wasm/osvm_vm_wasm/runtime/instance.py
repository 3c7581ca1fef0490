"""Module instances and instantiation (linking, segment initialisation).

Instantiation follows the 1.0 spec: imports are matched against their
declared types, globals are initialised, every element and data segment is
bounds-checked *before* any is written (a misfit makes the module
unlinkable), then segments are written. Running the start function is left
to the caller, which owns an executor (``engine.Store.instantiate``).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from ..binary import opcodes as op
from ..errors import LinkError
from ..module import Instr, Module
from ..types import FUNC, GLOBAL, MEMORY, TABLE, FuncType, GlobalType, MemoryType, TableType
from .func import FuncInstance, HostFunction, WasmFunction
from .global_ import Global
from .memory import Memory
from .table import Table

Extern = FuncInstance | Table | Memory | Global
#: ``resolve(module_name, field_name) -> Extern or None``
Resolver = Callable[[str, str], "Extern | None"]


@dataclass(eq=False)
class Instance:
    module: Module
    types: list[FuncType]
    funcs: list[FuncInstance] = field(default_factory=list)
    tables: list[Table] = field(default_factory=list)
    memories: list[Memory] = field(default_factory=list)
    globals: list[Global] = field(default_factory=list)
    exports: dict[str, Extern] = field(default_factory=dict)
    start: FuncInstance | None = None

    @property
    def memory(self) -> Memory | None:
        return self.memories[0] if self.memories else None

    @property
    def table(self) -> Table | None:
        return self.tables[0] if self.tables else None

    def export(self, name: str) -> Extern:
        try:
            return self.exports[name]
        except KeyError:
            raise LinkError(f"unknown export {name!r}") from None


def extern_kind(ext: Any) -> int | None:
    if isinstance(ext, WasmFunction | HostFunction):
        return FUNC
    if isinstance(ext, Table):
        return TABLE
    if isinstance(ext, Memory):
        return MEMORY
    if isinstance(ext, Global):
        return GLOBAL
    return None


def _matches(ext: Any, kind: int, desc: Any, types: list[FuncType]) -> bool:
    if extern_kind(ext) != kind:
        return False
    if kind == FUNC:
        return ext.type == types[desc]
    if kind == TABLE:
        assert isinstance(desc, TableType)
        return type(ext.limits)(ext.size, ext.limits.max).fits_in(desc.limits)
    if kind == MEMORY:
        assert isinstance(desc, MemoryType)
        return type(ext.limits)(ext.pages, ext.limits.max).fits_in(desc.limits)
    assert isinstance(desc, GlobalType)
    return ext.type == desc


def eval_const(expr: list[Instr], globals_: list[Global]) -> int:
    code, imm = expr[0]
    if code == op.GLOBAL_GET:
        return globals_[imm].value
    return imm


def instantiate(module: Module, resolve: Resolver, *, memory_factory: Callable[[MemoryType], Memory] | None = None
                ) -> Instance:
    """Link ``module`` against ``resolve`` and initialise it; raise ``LinkError`` when that fails."""
    inst = Instance(module, module.types)
    for imp in module.imports:
        ext = resolve(imp.module, imp.name)
        if ext is None:
            raise LinkError(f"unknown import {imp.module}.{imp.name}")
        if not _matches(ext, imp.kind, imp.desc, module.types):
            raise LinkError(f"incompatible import type for {imp.module}.{imp.name}")
        [inst.funcs, inst.tables, inst.memories, inst.globals][imp.kind].append(ext)
    for f in module.funcs:
        inst.funcs.append(WasmFunction(module.types[f.type_index], inst, f, len(inst.funcs)))
    for t in module.tables:
        inst.tables.append(Table(t.limits))
    for m in module.memories:
        inst.memories.append(memory_factory(m) if memory_factory else Memory(m.limits))
    imported_globals = list(inst.globals)
    for g in module.globals:
        inst.globals.append(Global(g.type, eval_const(g.init, imported_globals)))
    for ex in module.exports:
        inst.exports[ex.name] = [inst.funcs, inst.tables, inst.memories, inst.globals][ex.kind][ex.index]

    elem_offsets = []
    for seg in module.elems:
        offset = eval_const(seg.offset, inst.globals)
        if offset + len(seg.funcs) > inst.tables[seg.table].size:
            raise LinkError("elements segment does not fit")
        elem_offsets.append(offset)
    data_offsets = []
    for seg in module.datas:
        offset = eval_const(seg.offset, inst.globals)
        if offset + len(seg.data) > len(inst.memories[seg.memory].data):
            raise LinkError("data segment does not fit")
        data_offsets.append(offset)
    for seg, offset in zip(module.elems, elem_offsets, strict=True):
        inst.tables[seg.table].elements[offset:offset + len(seg.funcs)] = [inst.funcs[i] for i in seg.funcs]
    for seg, offset in zip(module.datas, data_offsets, strict=True):
        inst.memories[seg.memory].data[offset:offset + len(seg.data)] = seg.data
    if module.start is not None:
        inst.start = inst.funcs[module.start]
    return inst
