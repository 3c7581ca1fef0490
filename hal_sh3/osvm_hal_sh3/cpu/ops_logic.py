"""Logic: AND, OR, XOR, NOT, TST on registers, on R0 with an immediate, and on a byte at @(R0,GBR); TAS.B."""

from __future__ import annotations

from .emit import Emit
from .isa import op

GBR_R0 = "(c.gbr + r[0]) & 0xFFFFFFFF"


@op("0010nnnnmmmm1001", "AND Rm,Rn")
def and_(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] &= r[{m}]"]


@op("0010nnnnmmmm1011", "OR Rm,Rn")
def or_(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] |= r[{m}]"]


@op("0010nnnnmmmm1010", "XOR Rm,Rn")
def xor(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] ^= r[{m}]"]


@op("0110nnnnmmmm0111", "NOT Rm,Rn")
def not_(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = r[{m}] ^ 0xFFFFFFFF"]


@op("0010nnnnmmmm1000", "TST Rm,Rn")
def tst(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = not r[{n}] & r[{m}]"]


@op("11001001iiiiiiii", "AND #imm,R0")
def and_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[0] &= {i:#x}"]


@op("11001011iiiiiiii", "OR #imm,R0")
def or_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[0] |= {i:#x}"]


@op("11001010iiiiiiii", "XOR #imm,R0")
def xor_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[0] ^= {i:#x}"]


@op("11001000iiiiiiii", "TST #imm,R0")
def tst_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = not r[0] & {i:#x}"]


@op("11001101iiiiiiii", "AND.B #imm,@(R0,GBR)")
def and_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.load(1, GBR_R0) + e.store(1, "a", f"v & {i:#x}")


@op("11001111iiiiiiii", "OR.B #imm,@(R0,GBR)")
def or_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.load(1, GBR_R0) + e.store(1, "a", f"v | {i:#x}")


@op("11001110iiiiiiii", "XOR.B #imm,@(R0,GBR)")
def xor_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.load(1, GBR_R0) + e.store(1, "a", f"v ^ {i:#x}")


@op("11001100iiiiiiii", "TST.B #imm,@(R0,GBR)")
def tst_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.load(1, GBR_R0) + [f"t = not v & {i:#x}"]


@op("0100nnnn00011011", "TAS.B @Rn")
def tas_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    # Read-modify-write of one byte; T says whether it was zero.
    return e.load(1, f"r[{n}]") + e.store(1, "a", "v | 0x80", then=["t = v == 0"])
