"""Arithmetic: ADD/SUB with carry and overflow, compares, the DIV0/DIV1 step division,
multiplies (MUL, DMUL) and multiply-accumulate (MAC.W/MAC.L with SR.S saturation), DT, NEG, EXT."""

from __future__ import annotations

from .emit import Emit, s8
from .isa import op
from .state import SR_S, CpuState

M = "0xFFFFFFFF"
S32 = "((({0}) ^ 0x80000000) - 0x80000000)"  # signed view of a u32 expression


def _s32(expr: str) -> str:
    return S32.format(expr)


@op("0011nnnnmmmm1100", "ADD Rm,Rn")
def add(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = (r[{n}] + r[{m}]) & {M}"]


@op("0111nnnniiiiiiii", "ADD #imm,Rn")
def add_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = (r[{n}] + {s8(i) & 0xFFFFFFFF:#x}) & {M}"]


@op("0011nnnnmmmm1110", "ADDC Rm,Rn")
def addc(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"s = r[{n}] + r[{m}] + t", f"r[{n}] = s & {M}", f"t = s > {M}"]


@op("0011nnnnmmmm1111", "ADDV Rm,Rn")
def addv(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", f"y = r[{m}]", f"s = (x + y) & {M}", f"r[{n}] = s",
            "t = ((x ^ s) & (y ^ s)) >> 31"]


@op("0011nnnnmmmm1000", "SUB Rm,Rn")
def sub(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = (r[{n}] - r[{m}]) & {M}"]


@op("0011nnnnmmmm1010", "SUBC Rm,Rn")
def subc(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"s = r[{n}] - r[{m}] - t", f"r[{n}] = s & {M}", "t = s < 0"]


@op("0011nnnnmmmm1011", "SUBV Rm,Rn")
def subv(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}]", f"y = r[{m}]", f"s = (x - y) & {M}", f"r[{n}] = s",
            "t = ((x ^ y) & (x ^ s)) >> 31"]


@op("0110nnnnmmmm1011", "NEG Rm,Rn")
def neg(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = -r[{m}] & {M}"]


@op("0110nnnnmmmm1010", "NEGC Rm,Rn")
def negc(e: Emit, n: int, m: int, i: int) -> list[str]:
    # 0 - Rm - T borrows whenever Rm + T is not zero.
    return [f"x = r[{m}] + t", f"r[{n}] = -x & {M}", "t = x != 0"]


@op("0100nnnn00010000", "DT Rn")
def dt(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = (r[{n}] - 1) & {M}", f"r[{n}] = x", "t = x == 0"]


# -- compares --------------------------------------------------------------------

@op("0011nnnnmmmm0000", "CMP/EQ Rm,Rn")
def cmp_eq(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = r[{n}] == r[{m}]"]


@op("0011nnnnmmmm0010", "CMP/HS Rm,Rn")
def cmp_hs(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = r[{n}] >= r[{m}]"]


@op("0011nnnnmmmm0011", "CMP/GE Rm,Rn")
def cmp_ge(e: Emit, n: int, m: int, i: int) -> list[str]:
    # Flipping the sign bit maps signed order onto unsigned order.
    return [f"t = (r[{n}] ^ 0x80000000) >= (r[{m}] ^ 0x80000000)"]


@op("0011nnnnmmmm0110", "CMP/HI Rm,Rn")
def cmp_hi(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = r[{n}] > r[{m}]"]


@op("0011nnnnmmmm0111", "CMP/GT Rm,Rn")
def cmp_gt(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = (r[{n}] ^ 0x80000000) > (r[{m}] ^ 0x80000000)"]


@op("0100nnnn00010001", "CMP/PZ Rn")
def cmp_pz(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = r[{n}] < 0x80000000"]


@op("0100nnnn00010101", "CMP/PL Rn")
def cmp_pl(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = 0 < r[{n}] < 0x80000000"]


@op("10001000iiiiiiii", "CMP/EQ #imm,R0")
def cmp_eq_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"t = r[0] == {s8(i) & 0xFFFFFFFF:#x}"]


@op("0010nnnnmmmm1100", "CMP/STR Rm,Rn")
def cmp_str(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}] ^ r[{m}]",
            "t = not (x & 0xFF and x & 0xFF00 and x & 0xFF0000 and x & 0xFF000000)"]


# -- division steps ------------------------------------------------------------------

@op("0010nnnnmmmm0111", "DIV0S Rm,Rn")
def div0s(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}] >> 31", f"y = r[{m}] >> 31",
            "c.srx = (c.srx & ~0x300) | (x << 8) | (y << 9)", "t = x != y"]


@op("0000000000011001", "DIV0U")
def div0u(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["c.srx &= ~0x300", "t = 0"]


@op("0011nnnnmmmm0100", "DIV1 Rm,Rn")
def div1(e: Emit, n: int, m: int, i: int) -> list[str]:
    # One non-restoring step: subtract when old Q == M, else add; the carry out
    # folds into the new Q as Q = msb ^ carry ^ M, and T = (Q == M). Rm is read
    # after Rn has been shifted (the manual's pseudo-code order), which only
    # shows in DIV1 Rn,Rn.
    divisor = "x" if n == m else f"r[{m}]"
    return [
        "s = c.srx",
        "y = (s >> 9) & 1",
        f"x = r[{n}]",
        "q = x >> 31",
        f"x = ((x << 1) | t) & {M}",
        f"if (s >> 8) & 1 == y: x -= {divisor}; cy = x < 0",
        f"else: x += {divisor}; cy = x > {M}",
        f"r[{n}] = x & {M}",
        "q ^= cy ^ y",
        "t = q == y",
        "c.srx = (s & ~0x100) | (q << 8)",
    ]


# -- multiplies ----------------------------------------------------------------------

@op("0000nnnnmmmm0111", "MUL.L Rm,Rn")
def mul_l(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"c.macl = (r[{n}] * r[{m}]) & {M}"]


@op("0010nnnnmmmm1111", "MULS.W Rm,Rn")
def muls_w(e: Emit, n: int, m: int, i: int) -> list[str]:
    a = f"((r[{n}] & 0xFFFF) ^ 0x8000) - 0x8000"
    b = f"((r[{m}] & 0xFFFF) ^ 0x8000) - 0x8000"
    return [f"c.macl = (({a}) * ({b})) & {M}"]


@op("0010nnnnmmmm1110", "MULU.W Rm,Rn")
def mulu_w(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"c.macl = (r[{n}] & 0xFFFF) * (r[{m}] & 0xFFFF)"]


@op("0011nnnnmmmm1101", "DMULS.L Rm,Rn")
def dmuls_l(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = {_s32(f'r[{n}]')} * {_s32(f'r[{m}]')}",
            f"c.mach = (x >> 32) & {M}", f"c.macl = x & {M}"]


@op("0011nnnnmmmm0101", "DMULU.L Rm,Rn")
def dmulu_l(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{n}] * r[{m}]", "c.mach = x >> 32", f"c.macl = x & {M}"]


def _mac_operands(e: Emit, size: int, n: int, m: int) -> list[str]:
    """Both reads first (so a fault leaves Rn/Rm alone), then both post-increments."""
    second = f"(r[{m}] + {size}) & {M}" if n == m else f"r[{m}]"
    lines = e.load(size, f"r[{n}]", "x") + e.load(size, second, "y")
    lines += [f"r[{n}] = (r[{n}] + {size}) & {M}", f"r[{m}] = (r[{m}] + {size}) & {M}"]
    return lines


@op("0000nnnnmmmm1111", "MAC.L @Rm+,@Rn+")
def mac_l(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _mac_operands(e, 4, n, m) + ["mac_l(c, x, y)"]


@op("0100nnnnmmmm1111", "MAC.W @Rm+,@Rn+")
def mac_w(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _mac_operands(e, 2, n, m) + ["mac_w(c, x, y)"]


MAX48 = (1 << 47) - 1
MIN48 = -(1 << 47)
MAX32 = (1 << 31) - 1
MIN32 = -(1 << 31)
M64 = (1 << 64) - 1


def _mac(cpu: CpuState) -> int:
    value = (cpu.mach << 32) | cpu.macl
    return value - (1 << 64) if value >> 63 else value


def do_mac_l(cpu: CpuState, x: int, y: int) -> None:
    """MACH:MACL += Rn * Rm (signed 32x32); with SR.S the sum saturates to 48 bits."""
    acc = _mac(cpu) + ((x ^ 0x80000000) - 0x80000000) * ((y ^ 0x80000000) - 0x80000000)
    if cpu.srx & SR_S:
        acc = MAX48 if acc > MAX48 else MIN48 if acc < MIN48 else acc
    acc &= M64
    cpu.mach = acc >> 32
    cpu.macl = acc & 0xFFFFFFFF


def do_mac_w(cpu: CpuState, x: int, y: int) -> None:
    """MAC += Rn * Rm (signed 16x16); with SR.S only MACL accumulates, saturating to 32 bits.

    In saturation mode MACH is left unchanged (SH-3/SH-4 behaviour; the SH-1
    set its bit 0 on overflow).
    """
    product = ((x ^ 0x8000) - 0x8000) * ((y ^ 0x8000) - 0x8000)
    if cpu.srx & SR_S:
        acc = ((cpu.macl ^ 0x80000000) - 0x80000000) + product
        acc = MAX32 if acc > MAX32 else MIN32 if acc < MIN32 else acc
        cpu.macl = acc & 0xFFFFFFFF
        return
    acc = (_mac(cpu) + product) & M64
    cpu.mach = acc >> 32
    cpu.macl = acc & 0xFFFFFFFF


@op("0110nnnnmmmm1100", "EXTU.B Rm,Rn")
def extu_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = r[{m}] & 0xFF"]


@op("0110nnnnmmmm1101", "EXTU.W Rm,Rn")
def extu_w(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = r[{m}] & 0xFFFF"]


@op("0110nnnnmmmm1110", "EXTS.B Rm,Rn")
def exts_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"v = r[{m}] & 0xFF", f"r[{n}] = (v | 0xFFFFFF00) if v & 0x80 else v"]


@op("0110nnnnmmmm1111", "EXTS.W Rm,Rn")
def exts_w(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"v = r[{m}] & 0xFFFF", f"r[{n}] = (v | 0xFFFF0000) if v & 0x8000 else v"]
