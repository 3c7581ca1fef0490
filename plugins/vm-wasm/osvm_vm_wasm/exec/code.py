"""The executor's compact instruction form: kinds and the compiled-function record.

Each instruction is a tuple ``(kind, a, b)``: a small-int kind and up to two
pre-decoded immediates (a local index, a constant, a Python function for a
numeric op, a resolved branch target, ...). Structured control (``block``,
``loop``, ``end``, ``nop``) disappears; branches carry their target index and,
when the operand stack must be cut back, the height and arity to keep.
"""

from __future__ import annotations

from dataclasses import dataclass

# Instruction kinds; the executor tests them in roughly this (frequency) order.
LGET = 0        # a: local index
CONST = 1       # a: raw value
BIN = 2         # a: fn(x, y) -> raw
LSET = 3        # a: local index
BRIF = 4        # a: target (no stack adjustment needed)
JMP = 5         # a: target
LTEE = 6        # a: local index
UN = 7          # a: fn(x) -> raw
I32ADD = 8
I32SUB = 9
I32LTS = 10
I32LTU = 11
I32EQZ = 12
I32AND = 13
I32EQ = 14
I32NE = 15
IFZ = 16        # a: target taken when the condition is zero (if / else)
LOAD = 17       # a: static offset, b: (unpack_from, size, mask)
STORE = 18      # a: static offset, b: (pack_into, size, mask)
GGET = 19       # a: global index
GSET = 20
CALL = 21       # a: function index
CALLI = 22      # a: FuncType expected
RET = 23        # a: arity
BRADJ = 24      # a: target, b: (height, arity) -- cut stack to fp+height keeping arity values
BRIFADJ = 25
BRTABLE = 26    # a: tuple of [target, height, arity] (last = default)
DROP = 27
SELECT = 28
MSIZE = 29
MGROW = 30
UNREACH = 31
LGETLGET = 32   # fused: a, b: two local indices
LGETCONSTBIN = 33  # fused local.get a; const c; binop fn: a: local, b: (c, fn)
I32GTS = 34
I32GTU = 35
I32MUL = 36
I32SHL = 37
I32GES = 38
I32LES = 39

KIND_NAMES = {v: k for k, v in dict(globals()).items() if isinstance(v, int) and k.isupper()}


@dataclass(slots=True)
class Code:
    """A compiled function body ready to run."""

    ops: list[tuple]
    nparams: int
    zeros: list[int]        # initial values of the declared locals (all-zero bits)
    arity: int
    name: str = ""
    #: byte offset in the module file of the wasm instruction each compact instruction came from
    offsets: list[int] | None = None
    index: int = 0          # the function's index (imports first)
