"""Shifts and rotates: one-bit forms through T, the fixed 2/8/16-bit forms, and the SH-3 dynamic SHAD/SHLD."""

from __future__ import annotations

from .emit import Emit
from .isa import op

M = "0xFFFFFFFF"


@op("0100nnnn00000100", "ROTL Rn")
def rotl(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", "t = x >> 31", f"r[{n}] = ((x << 1) | t) & {M}"]


@op("0100nnnn00000101", "ROTR Rn")
def rotr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", "t = x & 1", f"r[{n}] = (x >> 1) | (t << 31)"]


@op("0100nnnn00100100", "ROTCL Rn")
def rotcl(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", f"r[{n}] = ((x << 1) | t) & {M}", "t = x >> 31"]


@op("0100nnnn00100101", "ROTCR Rn")
def rotcr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", f"r[{n}] = (x >> 1) | (0x80000000 if t else 0)", "t = x & 1"]


@op("0100nnnn00100000", "SHAL Rn")
@op("0100nnnn00000000", "SHLL Rn")
def shll(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", "t = x >> 31", f"r[{n}] = (x << 1) & {M}"]


@op("0100nnnn00100001", "SHAR Rn")
def shar(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", "t = x & 1", f"r[{n}] = (x >> 1) | (x & 0x80000000)"]


@op("0100nnnn00000001", "SHLR Rn")
def shlr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", "t = x & 1", f"r[{n}] = x >> 1"]


def _fixed(code_left: str, code_right: str, bits: int) -> None:
    @op(f"0100nnnn{code_left}", f"SHLL{bits} Rn")
    def left(e: Emit, n: int, m: int, i: int) -> list[str]:
        return [f"r[{n}] = (r[{n}] << {bits}) & {M}"]

    @op(f"0100nnnn{code_right}", f"SHLR{bits} Rn")
    def right(e: Emit, n: int, m: int, i: int) -> list[str]:
        return [f"r[{n}] >>= {bits}"]


_fixed("00001000", "00001001", 2)
_fixed("00011000", "00011001", 8)
_fixed("00101000", "00101001", 16)


@op("0100nnnnmmmm1100", "SHAD Rm,Rn")
def shad(e: Emit, n: int, m: int, i: int) -> list[str]:
    # Rm >= 0: left by Rm[4:0]; Rm < 0: arithmetic right by 32 - Rm[4:0]
    # (a count of 32, i.e. Rm[4:0] = 0, leaves only the sign).
    return [
        f"s = r[{m}]",
        f"x = r[{n}]",
        f"if s < 0x80000000: r[{n}] = (x << (s & 31)) & {M}",
        f"elif s & 31 == 0: r[{n}] = {M} if x & 0x80000000 else 0",
        f"else: r[{n}] = (((x ^ 0x80000000) - 0x80000000) >> (32 - (s & 31))) & {M}",
    ]


@op("0100nnnnmmmm1101", "SHLD Rm,Rn")
def shld(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [
        f"s = r[{m}]",
        f"x = r[{n}]",
        f"if s < 0x80000000: r[{n}] = (x << (s & 31)) & {M}",
        f"elif s & 31 == 0: r[{n}] = 0",
        f"else: r[{n}] = x >> (32 - (s & 31))",
    ]
