"""Type checking of function bodies: the spec's validation algorithm (appendix), verbatim in spirit.

An operand stack of value types, where ``UNKNOWN`` stands for the
polymorphic stack after ``br``/``return``/``unreachable``, and a stack of
control frames, each remembering its label types, end types, the operand
height at entry and whether the rest of the block is unreachable.
"""

from __future__ import annotations

from dataclasses import dataclass

from ..binary import opcodes as op
from ..errors import ValidationError
from ..module import Instr
from ..types import F32, F64, I32, I64
from .context import Context

UNKNOWN = 0
_NATURAL_ALIGN = {1: 0, 2: 1, 4: 2, 8: 3}


@dataclass(slots=True)
class _Ctrl:
    opcode: int
    labels: tuple[int, ...]
    results: tuple[int, ...]
    height: int
    unreachable: bool = False


class _Checker:
    def __init__(self, ctx: Context) -> None:
        self.ctx = ctx
        self.vals: list[int] = []
        self.ctrls: list[_Ctrl] = []
        self.at = -1        # index of the instruction being checked

    # -- operand stack ------------------------------------------------------
    def push(self, t: int) -> None:
        self.vals.append(t)

    def pop(self, expect: int = UNKNOWN) -> int:
        top = self.ctrls[-1]
        if len(self.vals) == top.height:
            if top.unreachable:
                return expect
            raise ValidationError("type mismatch")
        actual = self.vals.pop()
        if actual == UNKNOWN:
            return expect
        if expect != UNKNOWN and actual != expect:
            raise ValidationError("type mismatch")
        return actual

    def pops(self, types: tuple[int, ...]) -> None:
        for t in reversed(types):
            self.pop(t)

    # -- control stack ------------------------------------------------------
    def push_ctrl(self, opcode: int, results: tuple[int, ...]) -> None:
        labels = () if opcode == op.LOOP else results
        self.ctrls.append(_Ctrl(opcode, labels, results, len(self.vals)))

    def pop_ctrl(self) -> _Ctrl:
        if not self.ctrls:
            raise ValidationError("type mismatch")
        frame = self.ctrls[-1]
        self.pops(frame.results)
        if len(self.vals) != frame.height:
            raise ValidationError("type mismatch")
        self.ctrls.pop()
        return frame

    def unreachable(self) -> None:
        frame = self.ctrls[-1]
        del self.vals[frame.height:]
        frame.unreachable = True

    def label(self, depth: int) -> _Ctrl:
        if depth >= len(self.ctrls):
            raise ValidationError("unknown label")
        return self.ctrls[-1 - depth]

    # -- lookups ------------------------------------------------------------
    def local(self, i: int) -> int:
        if i >= len(self.ctx.locals):
            raise ValidationError("unknown local")
        return self.ctx.locals[i]

    def global_(self, i: int):
        if i >= len(self.ctx.globals):
            raise ValidationError("unknown global")
        return self.ctx.globals[i]

    def memory(self) -> None:
        if not self.ctx.memories:
            raise ValidationError("unknown memory")

    def memarg(self, imm: tuple[int, int], size: int) -> None:
        self.memory()
        if imm[0] > _NATURAL_ALIGN[size]:
            raise ValidationError("alignment must not be larger than natural")

    # -- the instruction loop -------------------------------------------------
    def run(self, body: list[Instr]) -> None:
        ctx = self.ctx
        self.push_ctrl(op.BLOCK, ctx.results)
        numeric = op.NUMERIC
        self.at = -1
        for code, imm in body:
            self.at += 1
            info = numeric.get(code)
            if info is not None:
                self.pops(info[1])
                self.push(info[2])
            elif code == op.LOCAL_GET:
                self.push(self.local(imm))
            elif code == op.LOCAL_SET:
                self.pop(self.local(imm))
            elif code == op.LOCAL_TEE:
                t = self.local(imm)
                self.pop(t)
                self.push(t)
            elif code == op.I32_CONST:
                self.push(I32)
            elif code == op.I64_CONST:
                self.push(I64)
            elif code == op.F32_CONST:
                self.push(F32)
            elif code == op.F64_CONST:
                self.push(F64)
            elif code in op.LOADS:
                _, t, size, _signed = op.LOADS[code]
                self.memarg(imm, size)
                self.pop(I32)
                self.push(t)
            elif code in op.STORES:
                _, t, size = op.STORES[code]
                self.memarg(imm, size)
                self.pop(t)
                self.pop(I32)
            elif code == op.GLOBAL_GET:
                self.push(self.global_(imm).valtype)
            elif code == op.GLOBAL_SET:
                g = self.global_(imm)
                if not g.mutable:
                    raise ValidationError("global is immutable")
                self.pop(g.valtype)
            elif code in (op.BLOCK, op.LOOP):
                self.push_ctrl(code, () if imm is None else (imm,))
            elif code == op.IF:
                self.pop(I32)
                self.push_ctrl(code, () if imm is None else (imm,))
            elif code == op.ELSE:
                if not self.ctrls or self.ctrls[-1].opcode != op.IF:
                    raise ValidationError("else without if")
                frame = self.pop_ctrl()
                self.push_ctrl(op.ELSE, frame.results)
            elif code == op.END:
                frame = self.pop_ctrl()
                if frame.opcode == op.IF and frame.results:
                    raise ValidationError("type mismatch")
                for t in frame.results:
                    self.push(t)
            elif code == op.BR:
                self.pops(self.label(imm).labels)
                self.unreachable()
            elif code == op.BR_IF:
                self.pop(I32)
                labels = self.label(imm).labels
                self.pops(labels)
                for t in labels:
                    self.push(t)
            elif code == op.BR_TABLE:
                targets, default = imm
                self.pop(I32)
                arity = self.label(default).labels
                for t in targets:
                    if self.label(t).labels != arity:
                        raise ValidationError("type mismatch")
                self.pops(arity)
                self.unreachable()
            elif code == op.RETURN:
                self.pops(ctx.results)
                self.unreachable()
            elif code == op.UNREACHABLE:
                self.unreachable()
            elif code == op.NOP:
                pass
            elif code == op.DROP:
                self.pop()
            elif code == op.SELECT:
                self.pop(I32)
                t1 = self.pop()
                t2 = self.pop(t1)
                self.push(t2 if t1 == UNKNOWN else t1)
            elif code == op.CALL:
                if imm >= len(ctx.funcs):
                    raise ValidationError("unknown function")
                ft = ctx.funcs[imm]
                self.pops(ft.params)
                for t in ft.results:
                    self.push(t)
            elif code == op.CALL_INDIRECT:
                if not ctx.tables:
                    raise ValidationError("unknown table")
                if imm >= len(ctx.types):
                    raise ValidationError("unknown type")
                ft = ctx.types[imm]
                self.pop(I32)
                self.pops(ft.params)
                for t in ft.results:
                    self.push(t)
            elif code == op.MEMORY_SIZE:
                self.memory()
                self.push(I32)
            elif code == op.MEMORY_GROW:
                self.memory()
                self.pop(I32)
                self.push(I32)
            else:
                raise ValidationError(f"unsupported opcode {code:#04x}")
        if self.ctrls:
            raise ValidationError("unexpected end of function")


def check_body(ctx: Context, body: list[Instr]) -> int:
    """Raise ``ValidationError`` unless ``body`` (ending in ``end``) is well typed under ``ctx``.

    The error's ``instr`` attribute is the index in ``body`` of the offending instruction.
    """
    checker = _Checker(ctx)
    try:
        checker.run(body)
    except ValidationError as error:
        error.instr = checker.at
        raise
    return len(body)
