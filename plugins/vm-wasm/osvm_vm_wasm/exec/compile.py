"""Pre-decoding of a validated function body into the executor's compact form (``code``).

The body is walked once, tracking the operand-stack height (known statically
for valid code) and a stack of open blocks, so that every branch gets its
target index and knows whether it must trim the stack. Code after an
unconditional transfer (``br``, ``return``, ``unreachable``, ``br_table``) up to
the enclosing ``else``/``end`` is dead and is not emitted.
"""

from __future__ import annotations

import struct
from dataclasses import dataclass, field

from ..binary import opcodes as op
from ..module import Function, Module
from ..types import I32, FuncType
from . import code as K
from .code import Code
from .numeric import BY_NAME
from .values import M32, M64

_LOAD_FORMAT = {
    "i32.load": "<I", "i64.load": "<Q", "f32.load": "<I", "f64.load": "<Q",
    "i32.load8_s": "<b", "i32.load8_u": "<B", "i32.load16_s": "<h", "i32.load16_u": "<H",
    "i64.load8_s": "<b", "i64.load8_u": "<B", "i64.load16_s": "<h", "i64.load16_u": "<H",
    "i64.load32_s": "<i", "i64.load32_u": "<I",
}
_STORE_FORMAT = {1: "<B", 2: "<H", 4: "<I", 8: "<Q"}
_INLINE = {
    "i32.add": K.I32ADD, "i32.sub": K.I32SUB, "i32.lt_s": K.I32LTS, "i32.lt_u": K.I32LTU,
    "i32.eqz": K.I32EQZ, "i32.and": K.I32AND, "i32.eq": K.I32EQ, "i32.ne": K.I32NE,
    "i32.gt_s": K.I32GTS, "i32.gt_u": K.I32GTU, "i32.mul": K.I32MUL, "i32.shl": K.I32SHL,
    "i32.ge_s": K.I32GES, "i32.le_s": K.I32LES,
}


def _load_imm(code: int) -> tuple:
    name, t, size, _ = op.LOADS[code]
    return (struct.Struct(_LOAD_FORMAT[name]).unpack_from, size, M32 if t == I32 else M64)


def _store_imm(code: int) -> tuple:
    _, _, size = op.STORES[code]
    return (struct.Struct(_STORE_FORMAT[size]).pack_into, size, (1 << (8 * size)) - 1)


@dataclass(slots=True)
class _Block:
    kind: int                    # op.BLOCK / LOOP / IF, or 0 for the function body
    height: int                  # absolute operand height (locals included) at entry
    arity: int                   # results at the end
    start: int = 0               # loop: target of branches
    fixups: list = field(default_factory=list)   # (instr index) or [target,h,a] lists to patch
    else_at: int | None = None   # index of the IFZ to patch at else/end
    dead: bool = False           # the whole block is in unreachable code
    unreachable: bool = False    # the rest of the block is unreachable

    @property
    def label_arity(self) -> int:
        return 0 if self.kind == op.LOOP else self.arity


def compile_function(module: Module, func: Function, name: str = "") -> Code:
    ftype: FuncType = module.types[func.type_index]
    nlocals = len(ftype.params) + len(func.locals)
    out: list[tuple] = []
    h = nlocals
    blocks = [_Block(0, h, len(ftype.results))]
    numeric = op.NUMERIC
    targets: set[int] = set()    # indices some branch lands on (no fusion across them)
    funcs_types = [module.types[i.desc] for i in module.imported(0)] + [module.types[f.type_index]
                                                                      for f in module.funcs]

    def branch(depth: int, cond: bool) -> None:
        target = blocks[-1 - depth]
        arity = target.label_arity
        plain = target.kind == 0 or h == target.height + arity
        idx = len(out)
        if plain:
            out.append((K.BRIF if cond else K.JMP, None, None))
        else:
            out.append((K.BRIFADJ if cond else K.BRADJ, None, (target.height, arity)))
        if target.kind == op.LOOP:
            kind, _, b = out[idx]
            out[idx] = (kind, target.start, b)
        else:
            target.fixups.append(idx)

    src: list[int] = []          # per compact instruction: index of the wasm instruction it came from
    position = -1
    for code, imm in func.body:
        position += 1
        if len(src) != len(out):
            del src[len(out):]
            src.extend([position - 1] * (len(out) - len(src)))
        top = blocks[-1]
        if top.unreachable and code not in (op.BLOCK, op.LOOP, op.IF, op.ELSE, op.END):
            continue
        info = numeric.get(code)
        if info is not None:
            name_ = info[0]
            fn = BY_NAME[name_]
            if len(info[1]) == 2:
                h -= 1
                inline = _INLINE.get(name_)
                prev = out[-1] if out else None
                if inline is not None:
                    out.append((inline, None, None))
                elif prev is not None and prev[0] == K.CONST and len(out) >= 2 and out[-2][0] == K.LGET \
                        and len(out) - 1 not in targets:
                    out[-2:] = [(K.LGETCONSTBIN, out[-2][1], (prev[1], fn))]
                else:
                    out.append((K.BIN, fn, None))
            else:
                out.append((K.UN, fn, None))
        elif code == op.LOCAL_GET:
            h += 1
            out.append((K.LGET, imm, None))
        elif code == op.LOCAL_SET:
            h -= 1
            out.append((K.LSET, imm, None))
        elif code == op.LOCAL_TEE:
            out.append((K.LTEE, imm, None))
        elif code in (op.I32_CONST, op.I64_CONST, op.F32_CONST, op.F64_CONST):
            h += 1
            out.append((K.CONST, imm, None))
        elif code in op.LOADS:
            out.append((K.LOAD, imm[1], _load_imm(code)))
        elif code in op.STORES:
            h -= 2
            out.append((K.STORE, imm[1], _store_imm(code)))
        elif code == op.GLOBAL_GET:
            h += 1
            out.append((K.GGET, imm, None))
        elif code == op.GLOBAL_SET:
            h -= 1
            out.append((K.GSET, imm, None))
        elif code in (op.BLOCK, op.LOOP, op.IF):
            arity = 0 if imm is None else 1
            if top.unreachable:
                blocks.append(_Block(code, h, arity, dead=True, unreachable=True))
                continue
            if code == op.IF:
                h -= 1
                blocks.append(_Block(code, h, arity, else_at=len(out)))
                out.append((K.IFZ, None, None))
            else:
                targets.add(len(out))
                blocks.append(_Block(code, h, arity, start=len(out)))
        elif code == op.ELSE:
            if top.dead:
                continue
            if not top.unreachable:
                top.fixups.append(len(out))
                out.append((K.JMP, None, None))
            _patch(out, top.else_at, len(out))
            targets.add(len(out))
            top.else_at = None
            top.unreachable = False
            h = top.height
        elif code == op.END:
            blocks.pop()
            if top.dead:
                continue
            if top.kind == 0:
                end = len(out)
                out.append((K.RET, top.arity, None))
            else:
                end = len(out)
            targets.add(end)
            if top.else_at is not None:
                _patch(out, top.else_at, end)
            for fix in top.fixups:
                if isinstance(fix, list):
                    fix[0] = end
                else:
                    _patch(out, fix, end)
            h = top.height + top.arity
        elif code == op.BR:
            branch(imm, False)
            top.unreachable = True
        elif code == op.BR_IF:
            h -= 1
            branch(imm, True)
        elif code == op.BR_TABLE:
            h -= 1
            labels, default = imm
            entries = []
            for depth in (*labels, default):
                target = blocks[-1 - depth]
                arity = target.label_arity
                height = target.height if target.kind else -1   # -1: jump to the final RET as is
                entry = [target.start if target.kind == op.LOOP else None, height, arity]
                if target.kind != op.LOOP:
                    target.fixups.append(entry)
                entries.append(entry)
            out.append((K.BRTABLE, tuple(entries), None))
            top.unreachable = True
        elif code == op.RETURN:
            out.append((K.RET, len(ftype.results), None))
            top.unreachable = True
        elif code == op.UNREACHABLE:
            out.append((K.UNREACH, None, None))
            top.unreachable = True
        elif code == op.NOP:
            pass
        elif code == op.DROP:
            h -= 1
            out.append((K.DROP, None, None))
        elif code == op.SELECT:
            h -= 2
            out.append((K.SELECT, None, None))
        elif code == op.CALL:
            ft = funcs_types[imm]
            h += len(ft.results) - len(ft.params)
            out.append((K.CALL, imm, None))
        elif code == op.CALL_INDIRECT:
            ft = module.types[imm]
            h += len(ft.results) - len(ft.params) - 1
            out.append((K.CALLI, ft, None))
        elif code == op.MEMORY_SIZE:
            h += 1
            out.append((K.MSIZE, None, None))
        elif code == op.MEMORY_GROW:
            out.append((K.MGROW, None, None))
        else:  # pragma: no cover - the validator rejects everything else
            raise AssertionError(f"cannot compile opcode {code:#x}")
    del src[len(out):]
    src.extend([position] * (len(out) - len(src)))
    offsets = None
    if func.offsets is not None:
        table = func.offsets
        offsets = [table[i] if 0 <= i < len(table) else -1 for i in src]
    zeros = [0] * len(func.locals)
    return Code(out, len(ftype.params), zeros, len(ftype.results), name, offsets, func.index)


def _patch(out: list[tuple], index: int, target: int) -> None:
    kind, _, b = out[index]
    out[index] = (kind, target, b)
