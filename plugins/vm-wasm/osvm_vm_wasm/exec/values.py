"""How values are represented while running, and conversions to and from host Python values.

Integers are kept *unsigned* (i32 in 0..2**32-1, i64 in 0..2**64-1); floats
are kept as their IEEE-754 *bit patterns* (ints), not as Python floats. That
makes loads, stores, reinterpretations, ``abs``/``neg``/``copysign`` and
constants exact to the bit -- including signalling-NaN payloads, which a
round trip through a C ``float`` would quieten -- and confines float
arithmetic to the few numeric helpers that unpack, compute and repack.
"""

from __future__ import annotations

import math
import struct

from ..types import F32, F64, I32, I64

M32 = 0xFFFFFFFF
M64 = 0xFFFFFFFFFFFFFFFF

_u32 = struct.Struct("<I")
_u64 = struct.Struct("<Q")
_f32 = struct.Struct("<f")
_f64 = struct.Struct("<d")


def f32_value(bits: int) -> float:
    return _f32.unpack(_u32.pack(bits))[0]


def f64_value(bits: int) -> float:
    return _f64.unpack(_u64.pack(bits))[0]


def f32_bits(x: float) -> int:
    """Round ``x`` to single precision (round-to-nearest-even) and return its bits."""
    try:
        return _u32.unpack(_f32.pack(x))[0]
    except OverflowError:
        return 0xFF800000 if x < 0 else 0x7F800000


def f64_bits(x: float) -> int:
    return _u64.unpack(_f64.pack(x))[0]


def signed32(v: int) -> int:
    return v - 0x100000000 if v & 0x80000000 else v


def signed64(v: int) -> int:
    return v - 0x10000000000000000 if v & 0x8000000000000000 else v


def from_python(t: int, value: int | float) -> int:
    """A host value (Python int or float) as a raw stack value of type ``t``."""
    if t == I32:
        return int(value) & M32
    if t == I64:
        return int(value) & M64
    if t == F32:
        return f32_bits(float(value))
    if t == F64:
        return f64_bits(float(value))
    raise TypeError(f"not a value type: {t}")


def to_python(t: int, raw: int) -> int | float:
    """A raw stack value as a host value: signed ints, Python floats (NaN payloads lost)."""
    if t == I32:
        return signed32(raw)
    if t == I64:
        return signed64(raw)
    if t == F32:
        return f32_value(raw)
    if t == F64:
        return f64_value(raw)
    raise TypeError(f"not a value type: {t}")


def is_nan_bits(t: int, raw: int) -> bool:
    if t == F32:
        return (raw & 0x7F800000) == 0x7F800000 and bool(raw & 0x7FFFFF)
    return (raw & 0x7FF0000000000000) == 0x7FF0000000000000 and bool(raw & 0xFFFFFFFFFFFFF)


__all__ = ["M32", "M64", "f32_value", "f64_value", "f32_bits", "f64_bits", "signed32", "signed64",
           "from_python", "to_python", "is_nan_bits", "math"]
