"""Binary module decoder: bytes -> ``module.Module`` (structure only, no type checking).

Follows the binary format chapter of the 1.0 spec: header, then sections in
their fixed order (custom sections anywhere), each fully consumed. Errors are
``LoadError`` with the reference interpreter's wording where the spec tests
show it.
"""

from __future__ import annotations

from ..errors import LoadError
from ..module import DataSegment, ElementSegment, Export, Function, Global, Import, Instr, Module
from ..types import FUNCREF, VALTYPES, FuncType, GlobalType, Limits, MemoryType, TableType
from . import opcodes as op
from .reader import Reader

MAGIC = b"\x00asm"
VERSION = b"\x01\x00\x00\x00"
MAX_LOCALS = 0xFFFFFFFF

_MEMARG_OPS = frozenset(op.LOADS) | frozenset(op.STORES)
_INDEX_OPS = frozenset({op.BR, op.BR_IF, op.CALL, op.LOCAL_GET, op.LOCAL_SET, op.LOCAL_TEE,
                        op.GLOBAL_GET, op.GLOBAL_SET})
_PLAIN_OPS = frozenset(op.NUMERIC) | {op.UNREACHABLE, op.NOP, op.RETURN, op.DROP, op.SELECT}


def decode_module(data: bytes) -> Module:
    """Decode a whole ``.wasm`` binary."""
    r = Reader(bytes(data))
    if r.bytes(4) != MAGIC:
        raise LoadError("magic header not detected").locate(0)
    if r.bytes(4) != VERSION:
        raise LoadError("unknown binary version").locate(4)
    m = Module()
    func_types: list[int] = []
    last_id = 0
    while not r.at_end():
        start = r.pos
        sid = r.byte()
        size = r.u32()
        sec = r.sub(size)
        try:
            if sec.end - sec.pos < size and sid == 0:   # a custom section reaching past the file
                _custom(sec, m)
                raise LoadError("unexpected end")
            sec.inner = True
            if sid == 0:
                _custom(sec, m)
                continue
            if sid > 11:
                raise LoadError("invalid section id")
            if sid <= last_id:
                raise LoadError("junk after last section")
            last_id = sid
            if sid == 1:
                m.types = _vec(sec, _functype)
            elif sid == 2:
                m.imports = _vec(sec, _import)
            elif sid == 3:
                func_types = _vec(sec, Reader.u32)
            elif sid == 4:
                m.tables = _vec(sec, _tabletype)
            elif sid == 5:
                m.memories = _vec(sec, _memtype)
            elif sid == 6:
                m.globals = _vec(sec, lambda s: Global(_globaltype(s), _expr(s)))
            elif sid == 7:
                m.exports = _vec(sec, _export)
            elif sid == 8:
                m.start = sec.u32()
            elif sid == 9:
                m.elems = _vec(sec, _elem)
            elif sid == 10:
                first = sum(1 for imp in m.imports if imp.kind == 0)
                bodies = [_code(sec, first + i) for i in range(sec.u32())]
                if len(bodies) != len(func_types):
                    raise LoadError("function and code section have inconsistent lengths")
                m.funcs = [Function(t, loc, body, offsets=offsets, index=index)
                           for t, (loc, body, offsets, index) in zip(func_types, bodies, strict=True)]
            elif sid == 11:
                m.datas = _vec(sec, _data)
            if not sec.at_end():
                raise LoadError("section size mismatch")
        except LoadError as error:
            raise error.locate(sec.pos if sec.pos > start else start) from None
    if func_types and not m.funcs:
        raise LoadError("function and code section have inconsistent lengths").locate(r.pos)
    _read_names(m)
    return m


def _read_names(m: Module) -> None:
    """Function names from the "name" custom section, best effort (the section is never an error)."""
    for cname, payload in m.customs:
        if cname != "name":
            continue
        r = Reader(payload)
        try:
            while not r.at_end():
                kind = r.byte()
                sub = r.sub(r.u32())
                if kind != 1:
                    continue
                for _ in range(sub.u32()):
                    index = sub.u32()
                    m.names[index] = sub.name()
        except LoadError:
            pass
        return


def _vec(r: Reader, item):
    return [item(r) for _ in range(r.u32())]


def _custom(sec: Reader, m: Module) -> None:
    name = sec.name()
    m.customs.append((name, sec.bytes(sec.end - sec.pos)))


def _valtype(r: Reader) -> int:
    t = r.byte()
    if t not in VALTYPES:
        raise LoadError("invalid value type")
    return t


def _functype(r: Reader) -> FuncType:
    if r.byte() != 0x60:
        raise LoadError("malformed function type")
    params = tuple(_vec(r, _valtype))
    results = tuple(_vec(r, _valtype))
    return FuncType(params, results)


def _limits(r: Reader) -> Limits:
    flag = r.byte()
    if flag == 0:
        return Limits(r.u32())
    if flag == 1:
        lo = r.u32()
        return Limits(lo, r.u32())
    raise LoadError("integer too large" if flag & 0x80 else "malformed limits flags")


def _tabletype(r: Reader) -> TableType:
    if r.byte() != FUNCREF:
        raise LoadError("malformed element type")
    return TableType(_limits(r))


def _memtype(r: Reader) -> MemoryType:
    return MemoryType(_limits(r))


def _globaltype(r: Reader) -> GlobalType:
    t = _valtype(r)
    mut = r.byte()
    if mut > 1:
        raise LoadError("invalid mutability")
    return GlobalType(t, bool(mut))


def _import(r: Reader) -> Import:
    module = r.name()
    name = r.name()
    kind = r.byte()
    if kind == 0:
        return Import(module, name, kind, r.u32())
    if kind == 1:
        return Import(module, name, kind, _tabletype(r))
    if kind == 2:
        return Import(module, name, kind, _memtype(r))
    if kind == 3:
        return Import(module, name, kind, _globaltype(r))
    raise LoadError("malformed import kind")


def _export(r: Reader) -> Export:
    name = r.name()
    kind = r.byte()
    if kind > 3:
        raise LoadError("malformed export kind")
    return Export(name, kind, r.u32())


def _elem(r: Reader) -> ElementSegment:
    table = r.u32()
    return ElementSegment(table, _expr(r), _vec(r, Reader.u32))


def _data(r: Reader) -> DataSegment:
    mem = r.u32()
    offset = _expr(r)
    size = r.u32()
    return DataSegment(mem, offset, r.bytes(size))


def _code(r: Reader, index: int) -> tuple[tuple[int, ...], list[Instr], list[int], int]:
    size = r.u32()
    body = r.sub(size)
    try:
        groups = _vec(body, lambda s: (s.u32(), _valtype(s)))
        if sum(n for n, _ in groups) > MAX_LOCALS:
            raise LoadError("too many locals")
        local_types: list[int] = []
        for n, t in groups:
            local_types.extend([t] * n)
        offsets: list[int] = []
        code = _expr(body, offsets)
        if not body.at_end():
            raise LoadError("section size mismatch")
    except LoadError as error:
        raise error.locate(body.pos, index) from None
    return tuple(local_types), code, offsets, index


def _blocktype(r: Reader) -> int | None:
    t = r.byte()
    if t == 0x40:
        return None
    if t not in VALTYPES:
        raise LoadError("invalid value type")
    return t


def _zero(r: Reader) -> None:
    if r.byte() != 0:
        raise LoadError("zero flag expected")


def _expr(r: Reader, offsets: list[int] | None = None) -> list[Instr]:
    """Instructions up to and including the ``end`` that closes the expression.

    ``offsets``, when given, receives the byte offset of each instruction (for error reports).
    """
    out: list[Instr] = []
    depth = 0
    while True:
        if offsets is not None:
            offsets.append(r.pos)
        code = r.byte()
        imm: object = None
        if code in _PLAIN_OPS:
            pass
        elif code in _INDEX_OPS:
            imm = r.u32()
        elif code in _MEMARG_OPS:
            align = r.u32()
            imm = (align, r.u32())
        elif code == op.I32_CONST:
            imm = r.s32() & 0xFFFFFFFF
        elif code == op.I64_CONST:
            imm = r.s64() & 0xFFFFFFFFFFFFFFFF
        elif code == op.F32_CONST:
            imm = r.f32_bits()
        elif code == op.F64_CONST:
            imm = r.f64_bits()
        elif code in (op.BLOCK, op.LOOP, op.IF):
            imm = _blocktype(r)
            depth += 1
        elif code == op.ELSE:
            pass
        elif code == op.END:
            if depth == 0:
                out.append((code, None))
                return out
            depth -= 1
        elif code == op.BR_TABLE:
            labels = tuple(_vec(r, Reader.u32))
            imm = (labels, r.u32())
        elif code == op.CALL_INDIRECT:
            imm = r.u32()
            _zero(r)
        elif code in (op.MEMORY_SIZE, op.MEMORY_GROW):
            _zero(r)
        else:
            raise LoadError(f"illegal opcode {code:#04x}").locate(r.pos - 1)
        out.append((code, imm))
