"""The WebAssembly 1.0 opcode space: names, immediate kinds, and numeric signatures.

One table serves the decoder (which immediates follow an opcode), the validator
(the stack type of each numeric instruction) and the executor (which Python
function implements it), so the three stages agree by construction.
"""

from __future__ import annotations

from ..types import F32, F64, I32, I64

# Control and parametric instructions.
UNREACHABLE = 0x00
NOP = 0x01
BLOCK = 0x02
LOOP = 0x03
IF = 0x04
ELSE = 0x05
END = 0x0B
BR = 0x0C
BR_IF = 0x0D
BR_TABLE = 0x0E
RETURN = 0x0F
CALL = 0x10
CALL_INDIRECT = 0x11
DROP = 0x1A
SELECT = 0x1B
LOCAL_GET = 0x20
LOCAL_SET = 0x21
LOCAL_TEE = 0x22
GLOBAL_GET = 0x23
GLOBAL_SET = 0x24
MEMORY_SIZE = 0x3F
MEMORY_GROW = 0x40
I32_CONST = 0x41
I64_CONST = 0x42
F32_CONST = 0x43
F64_CONST = 0x44

# Memory access: opcode -> (name, value type, access size in bytes, signed load).
LOADS: dict[int, tuple[str, int, int, bool]] = {
    0x28: ("i32.load", I32, 4, False),
    0x29: ("i64.load", I64, 8, False),
    0x2A: ("f32.load", F32, 4, False),
    0x2B: ("f64.load", F64, 8, False),
    0x2C: ("i32.load8_s", I32, 1, True),
    0x2D: ("i32.load8_u", I32, 1, False),
    0x2E: ("i32.load16_s", I32, 2, True),
    0x2F: ("i32.load16_u", I32, 2, False),
    0x30: ("i64.load8_s", I64, 1, True),
    0x31: ("i64.load8_u", I64, 1, False),
    0x32: ("i64.load16_s", I64, 2, True),
    0x33: ("i64.load16_u", I64, 2, False),
    0x34: ("i64.load32_s", I64, 4, True),
    0x35: ("i64.load32_u", I64, 4, False),
}
STORES: dict[int, tuple[str, int, int]] = {
    0x36: ("i32.store", I32, 4),
    0x37: ("i64.store", I64, 8),
    0x38: ("f32.store", F32, 4),
    0x39: ("f64.store", F64, 8),
    0x3A: ("i32.store8", I32, 1),
    0x3B: ("i32.store16", I32, 2),
    0x3C: ("i64.store8", I64, 1),
    0x3D: ("i64.store16", I64, 2),
    0x3E: ("i64.store32", I64, 4),
}


def _names(first: int, prefix: str, names: str) -> dict[int, str]:
    return {first + i: f"{prefix}.{n}" for i, n in enumerate(names.split())}


# Numeric instructions: opcode -> (name, operand types, result type).
NUMERIC: dict[int, tuple[str, tuple[int, ...], int]] = {}


def _add(first: int, prefix: str, names: str, params: tuple[int, ...], result: int) -> None:
    for op, name in _names(first, prefix, names).items():
        NUMERIC[op] = (name, params, result)


_add(0x45, "i32", "eqz", (I32,), I32)
_add(0x46, "i32", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u", (I32, I32), I32)
_add(0x50, "i64", "eqz", (I64,), I32)
_add(0x51, "i64", "eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u", (I64, I64), I32)
_add(0x5B, "f32", "eq ne lt gt le ge", (F32, F32), I32)
_add(0x61, "f64", "eq ne lt gt le ge", (F64, F64), I32)
_add(0x67, "i32", "clz ctz popcnt", (I32,), I32)
_add(0x6A, "i32", "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr", (I32, I32), I32)
_add(0x79, "i64", "clz ctz popcnt", (I64,), I64)
_add(0x7C, "i64", "add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr", (I64, I64), I64)
_add(0x8B, "f32", "abs neg ceil floor trunc nearest sqrt", (F32,), F32)
_add(0x92, "f32", "add sub mul div min max copysign", (F32, F32), F32)
_add(0x99, "f64", "abs neg ceil floor trunc nearest sqrt", (F64,), F64)
_add(0xA0, "f64", "add sub mul div min max copysign", (F64, F64), F64)
_add(0xA7, "i32", "wrap_i64", (I64,), I32)
_add(0xA8, "i32", "trunc_f32_s trunc_f32_u", (F32,), I32)
_add(0xAA, "i32", "trunc_f64_s trunc_f64_u", (F64,), I32)
_add(0xAC, "i64", "extend_i32_s extend_i32_u", (I32,), I64)
_add(0xAE, "i64", "trunc_f32_s trunc_f32_u", (F32,), I64)
_add(0xB0, "i64", "trunc_f64_s trunc_f64_u", (F64,), I64)
_add(0xB2, "f32", "convert_i32_s convert_i32_u", (I32,), F32)
_add(0xB4, "f32", "convert_i64_s convert_i64_u", (I64,), F32)
_add(0xB6, "f32", "demote_f64", (F64,), F32)
_add(0xB7, "f64", "convert_i32_s convert_i32_u", (I32,), F64)
_add(0xB9, "f64", "convert_i64_s convert_i64_u", (I64,), F64)
_add(0xBB, "f64", "promote_f32", (F32,), F64)
_add(0xBC, "i32", "reinterpret_f32", (F32,), I32)
_add(0xBD, "i64", "reinterpret_f64", (F64,), I64)
_add(0xBE, "f32", "reinterpret_i32", (I32,), F32)
_add(0xBF, "f64", "reinterpret_i64", (I64,), F64)

NAMES: dict[int, str] = {
    UNREACHABLE: "unreachable", NOP: "nop", BLOCK: "block", LOOP: "loop", IF: "if", ELSE: "else",
    END: "end", BR: "br", BR_IF: "br_if", BR_TABLE: "br_table", RETURN: "return", CALL: "call",
    CALL_INDIRECT: "call_indirect", DROP: "drop", SELECT: "select", LOCAL_GET: "local.get",
    LOCAL_SET: "local.set", LOCAL_TEE: "local.tee", GLOBAL_GET: "global.get", GLOBAL_SET: "global.set",
    MEMORY_SIZE: "memory.size", MEMORY_GROW: "memory.grow", I32_CONST: "i32.const",
    I64_CONST: "i64.const", F32_CONST: "f32.const", F64_CONST: "f64.const",
}
NAMES.update({op: v[0] for op, v in LOADS.items()})
NAMES.update({op: v[0] for op, v in STORES.items()})
NAMES.update({op: v[0] for op, v in NUMERIC.items()})
