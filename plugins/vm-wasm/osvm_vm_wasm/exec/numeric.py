"""Numeric instructions as plain Python functions over raw values (see ``values``).

Integer ops keep results unsigned and wrap with masks; signed ops convert at
the edges. Float ops unpack the bit patterns, compute in double precision and
repack; for f32 the single repacking rounding is exact for + - * / sqrt
(double has more than twice the precision of single). Ops that merely pick
or edit bits (min/max when no NaN, abs, neg, copysign, rounding of
non-finite values) work on the bits directly so payloads survive.
"""

from __future__ import annotations

import math
from collections.abc import Callable

from ..errors import Trap
from .values import M32, M64, f32_bits, f32_value, f64_bits, f64_value

INF = math.inf


def _trap_div() -> Trap:
    return Trap("integer divide by zero")


def _int_ops(bits: int) -> dict[str, Callable]:
    mask = (1 << bits) - 1
    sign = 1 << (bits - 1)
    full = 1 << bits
    shift_mask = bits - 1

    def s(v: int) -> int:
        return v - full if v & sign else v

    def div_s(a: int, b: int) -> int:
        if b == 0:
            raise _trap_div()
        x, y = s(a), s(b)
        if x == -sign and y == -1:
            raise Trap("integer overflow")
        q = abs(x) // abs(y)
        return (-q if (x < 0) != (y < 0) else q) & mask

    def div_u(a: int, b: int) -> int:
        if b == 0:
            raise _trap_div()
        return a // b

    def rem_s(a: int, b: int) -> int:
        if b == 0:
            raise _trap_div()
        x, y = s(a), s(b)
        r = abs(x) % abs(y)
        return (-r if x < 0 else r) & mask

    def rem_u(a: int, b: int) -> int:
        if b == 0:
            raise _trap_div()
        return a % b

    def rotl(a: int, b: int) -> int:
        k = b & shift_mask
        return ((a << k) | (a >> (bits - k))) & mask

    def rotr(a: int, b: int) -> int:
        k = b & shift_mask
        return ((a >> k) | (a << (bits - k))) & mask

    return {
        "eqz": lambda a: 1 if a == 0 else 0,
        "eq": lambda a, b: 1 if a == b else 0,
        "ne": lambda a, b: 1 if a != b else 0,
        "lt_s": lambda a, b: 1 if s(a) < s(b) else 0,
        "lt_u": lambda a, b: 1 if a < b else 0,
        "gt_s": lambda a, b: 1 if s(a) > s(b) else 0,
        "gt_u": lambda a, b: 1 if a > b else 0,
        "le_s": lambda a, b: 1 if s(a) <= s(b) else 0,
        "le_u": lambda a, b: 1 if a <= b else 0,
        "ge_s": lambda a, b: 1 if s(a) >= s(b) else 0,
        "ge_u": lambda a, b: 1 if a >= b else 0,
        "clz": lambda a: bits - a.bit_length(),
        "ctz": lambda a: (a & -a).bit_length() - 1 if a else bits,
        "popcnt": lambda a: a.bit_count(),
        "add": lambda a, b: (a + b) & mask,
        "sub": lambda a, b: (a - b) & mask,
        "mul": lambda a, b: (a * b) & mask,
        "div_s": div_s,
        "div_u": div_u,
        "rem_s": rem_s,
        "rem_u": rem_u,
        "and": lambda a, b: a & b,
        "or": lambda a, b: a | b,
        "xor": lambda a, b: a ^ b,
        "shl": lambda a, b: (a << (b & shift_mask)) & mask,
        "shr_s": lambda a, b: (s(a) >> (b & shift_mask)) & mask,
        "shr_u": lambda a, b: a >> (b & shift_mask),
        "rotl": rotl,
        "rotr": rotr,
    }


def _div(x: float, y: float) -> float:
    try:
        return x / y
    except ZeroDivisionError:
        if x != x or x == 0.0:
            return math.nan
        return math.copysign(INF, x) * math.copysign(1.0, y)


def _sqrt(x: float) -> float:
    if x != x:
        return x
    if x < 0:
        return math.nan
    return math.sqrt(x)


def _float_ops(width: int) -> dict[str, Callable]:
    if width == 32:
        val, pack = f32_value, f32_bits
        sign_bit, exp_mask, frac_mask, quiet = 0x80000000, 0x7F800000, 0x7FFFFF, 0x400000
    else:
        val, pack = f64_value, f64_bits
        sign_bit, exp_mask, frac_mask = 0x8000000000000000, 0x7FF0000000000000, 0xFFFFFFFFFFFFF
        quiet = 0x8000000000000
    abs_mask = sign_bit - 1

    def is_nan(b: int) -> bool:
        return (b & exp_mask) == exp_mask and bool(b & frac_mask)

    def binary(fn: Callable[[float, float], float]) -> Callable[[int, int], int]:
        def op(a: int, b: int) -> int:
            return pack(fn(val(a), val(b)))
        return op

    def fmin(a: int, b: int) -> int:
        if is_nan(a):
            return a | quiet
        if is_nan(b):
            return b | quiet
        x, y = val(a), val(b)
        if x == y:               # equal values, maybe zeros of both signs: prefer negative
            return a | b
        return a if x < y else b

    def fmax(a: int, b: int) -> int:
        if is_nan(a):
            return a | quiet
        if is_nan(b):
            return b | quiet
        x, y = val(a), val(b)
        if x == y:               # prefer positive zero
            return a & b
        return a if x > y else b

    def rounding(fn: Callable[[float], float]) -> Callable[[int], int]:
        def op(a: int) -> int:
            if (a & exp_mask) == exp_mask:           # inf or NaN
                return a | quiet if a & frac_mask else a
            x = val(a)
            if x == 0.0:
                return a
            return pack(math.copysign(float(fn(x)), x))
        return op

    def nearest(x: float) -> float:
        return float(round(x))    # Python rounds halves to even, as IEEE roundTiesToEven

    def cmp(fn: Callable[[float, float], bool]) -> Callable[[int, int], int]:
        def op(a: int, b: int) -> int:
            return 1 if fn(val(a), val(b)) else 0
        return op

    return {
        "eq": cmp(lambda x, y: x == y),
        "ne": cmp(lambda x, y: x != y),
        "lt": cmp(lambda x, y: x < y),
        "gt": cmp(lambda x, y: x > y),
        "le": cmp(lambda x, y: x <= y),
        "ge": cmp(lambda x, y: x >= y),
        "abs": lambda a: a & abs_mask,
        "neg": lambda a: a ^ sign_bit,
        "copysign": lambda a, b: (a & abs_mask) | (b & sign_bit),
        "ceil": rounding(math.ceil),
        "floor": rounding(math.floor),
        "trunc": rounding(math.trunc),
        "nearest": rounding(nearest),
        "sqrt": lambda a: a | quiet if is_nan(a) else pack(_sqrt(val(a))),
        "add": binary(lambda x, y: x + y),
        "sub": binary(lambda x, y: x - y),
        "mul": binary(lambda x, y: x * y),
        "div": binary(_div),
        "min": fmin,
        "max": fmax,
    }


def _trunc(val: Callable[[int], float], lo: int, hi: int, mask: int) -> Callable[[int], int]:
    def op(a: int) -> int:
        x = val(a)
        if x != x:
            raise Trap("invalid conversion to integer")
        if x in (INF, -INF):
            raise Trap("integer overflow")
        t = math.trunc(x)
        if t < lo or t > hi:
            raise Trap("integer overflow")
        return t & mask
    return op


def int_to_f32(n: int) -> int:
    """Round an arbitrary integer to the nearest f32 (ties to even) in one step."""
    m = abs(n)
    length = m.bit_length()
    if length > 24:
        shift = length - 24
        q = m >> shift
        rest = m & ((1 << shift) - 1)
        half = 1 << (shift - 1)
        if rest > half or (rest == half and q & 1):
            q += 1
        m = q << shift
    return f32_bits(float(-m if n < 0 else m))


def _s32(v: int) -> int:
    return v - 0x100000000 if v & 0x80000000 else v


def _s64(v: int) -> int:
    return v - 0x10000000000000000 if v & 0x8000000000000000 else v


def _conversions() -> dict[str, Callable]:
    return {
        "i32.wrap_i64": lambda a: a & M32,
        "i32.trunc_f32_s": _trunc(f32_value, -(1 << 31), (1 << 31) - 1, M32),
        "i32.trunc_f32_u": _trunc(f32_value, 0, M32, M32),
        "i32.trunc_f64_s": _trunc(f64_value, -(1 << 31), (1 << 31) - 1, M32),
        "i32.trunc_f64_u": _trunc(f64_value, 0, M32, M32),
        "i64.extend_i32_s": lambda a: _s32(a) & M64,
        "i64.extend_i32_u": lambda a: a,
        "i64.trunc_f32_s": _trunc(f32_value, -(1 << 63), (1 << 63) - 1, M64),
        "i64.trunc_f32_u": _trunc(f32_value, 0, M64, M64),
        "i64.trunc_f64_s": _trunc(f64_value, -(1 << 63), (1 << 63) - 1, M64),
        "i64.trunc_f64_u": _trunc(f64_value, 0, M64, M64),
        "f32.convert_i32_s": lambda a: f32_bits(float(_s32(a))),
        "f32.convert_i32_u": lambda a: f32_bits(float(a)),
        "f32.convert_i64_s": lambda a: int_to_f32(_s64(a)),
        "f32.convert_i64_u": int_to_f32,
        "f32.demote_f64": lambda a: f32_bits(f64_value(a)),
        "f64.convert_i32_s": lambda a: f64_bits(float(_s32(a))),
        "f64.convert_i32_u": lambda a: f64_bits(float(a)),
        "f64.convert_i64_s": lambda a: f64_bits(float(_s64(a))),
        "f64.convert_i64_u": lambda a: f64_bits(float(a)),
        "f64.promote_f32": lambda a: f64_bits(f32_value(a)),
        "i32.reinterpret_f32": lambda a: a,
        "i64.reinterpret_f64": lambda a: a,
        "f32.reinterpret_i32": lambda a: a,
        "f64.reinterpret_i64": lambda a: a,
    }


def _build() -> dict[str, Callable]:
    table: dict[str, Callable] = {}
    for prefix, ops in (("i32", _int_ops(32)), ("i64", _int_ops(64)),
                        ("f32", _float_ops(32)), ("f64", _float_ops(64))):
        for name, fn in ops.items():
            table[f"{prefix}.{name}"] = fn
    table.update(_conversions())
    return table


#: instruction name -> implementation over raw values
BY_NAME: dict[str, Callable] = _build()
