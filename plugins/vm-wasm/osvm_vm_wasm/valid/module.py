"""Module-level validation: indices, limits, constant expressions, exports, start, bodies."""

from __future__ import annotations

from ..binary import opcodes as op
from ..errors import ValidationError
from ..module import Instr, Module
from ..types import F32, F64, FUNC, GLOBAL, I32, I64, MAX_PAGES, MEMORY, TABLE, FuncType, GlobalType, Limits
from .code import check_body
from .context import Context

_CONST_TYPES = {op.I32_CONST: I32, op.I64_CONST: I64, op.F32_CONST: F32, op.F64_CONST: F64}


def _limits(lim: Limits, bound: int | None, what: str) -> None:
    if bound is not None:
        if lim.min > bound or (lim.max is not None and lim.max > bound):
            raise ValidationError(what)
    if lim.max is not None and lim.min > lim.max:
        raise ValidationError("size minimum must not be greater than maximum")


def _functype(m: Module, index: int) -> FuncType:
    if index >= len(m.types):
        raise ValidationError("unknown type")
    return m.types[index]


def check_const(ctx: Context, expr: list[Instr], expect: int) -> None:
    """A constant expression: one ``t.const`` or ``global.get`` of an imported immutable global."""
    body = expr[:-1]
    for code, imm in body:
        if code == op.GLOBAL_GET:
            if imm >= ctx.imported_globals:
                raise ValidationError("unknown global")
            if ctx.globals[imm].mutable:
                raise ValidationError("constant expression required")
        elif code not in _CONST_TYPES:
            raise ValidationError("constant expression required")
    if len(body) != 1:
        raise ValidationError("type mismatch")
    code, imm = body[0]
    actual = ctx.globals[imm].valtype if code == op.GLOBAL_GET else _CONST_TYPES[code]
    if actual != expect:
        raise ValidationError("type mismatch")


def validate_module(m: Module) -> None:
    """Raise ``ValidationError`` unless ``m`` is valid per the 1.0 specification."""
    for ft in m.types:
        if len(ft.results) > 1:
            raise ValidationError("invalid result arity")
    funcs: list[FuncType] = []
    tables = []
    memories = []
    globals_: list[GlobalType] = []
    for imp in m.imports:
        if imp.kind == FUNC:
            funcs.append(_functype(m, imp.desc))
        elif imp.kind == TABLE:
            _limits(imp.desc.limits, None, "")
            tables.append(imp.desc)
        elif imp.kind == MEMORY:
            _limits(imp.desc.limits, MAX_PAGES, "memory size must be at most 65536 pages (4GiB)")
            memories.append(imp.desc)
        else:
            globals_.append(imp.desc)
    n_imported_globals = len(globals_)
    for f in m.funcs:
        funcs.append(_functype(m, f.type_index))
    for t in m.tables:
        _limits(t.limits, None, "")
        tables.append(t)
    for mem in m.memories:
        _limits(mem.limits, MAX_PAGES, "memory size must be at most 65536 pages (4GiB)")
        memories.append(mem)
    if len(tables) > 1:
        raise ValidationError("multiple tables")
    if len(memories) > 1:
        raise ValidationError("multiple memories")

    ctx = Context(m.types, funcs, tables, memories, globals_, n_imported_globals)
    for g in m.globals:
        check_const(ctx, g.init, g.type.valtype)
    ctx.globals = globals_ + [g.type for g in m.globals]

    for seg in m.elems:
        if seg.table >= len(tables):
            raise ValidationError("unknown table")
        check_const(ctx, seg.offset, I32)
        for fi in seg.funcs:
            if fi >= len(funcs):
                raise ValidationError("unknown function")
    for seg in m.datas:
        if seg.memory >= len(memories):
            raise ValidationError("unknown memory")
        check_const(ctx, seg.offset, I32)

    if m.start is not None:
        if m.start >= len(funcs):
            raise ValidationError("unknown function")
        ft = funcs[m.start]
        if ft.params or ft.results:
            raise ValidationError("start function")

    seen: set[str] = set()
    counts = {FUNC: len(funcs), TABLE: len(tables), MEMORY: len(memories), GLOBAL: len(ctx.globals)}
    unknown = {FUNC: "unknown function", TABLE: "unknown table", MEMORY: "unknown memory",
               GLOBAL: "unknown global"}
    for ex in m.exports:
        if ex.name in seen:
            raise ValidationError("duplicate export name")
        seen.add(ex.name)
        if ex.index >= counts[ex.kind]:
            raise ValidationError(unknown[ex.kind])

    for f in m.funcs:
        ft = m.types[f.type_index]
        ctx.locals = list(ft.params) + list(f.locals)
        ctx.results = ft.results
        try:
            check_body(ctx, f.body)
        except ValidationError as error:
            at = getattr(error, "instr", -1)
            offsets = f.offsets
            offset = offsets[at] if offsets is not None and 0 <= at < len(offsets) else None
            raise error.locate(offset, f.index) from None
