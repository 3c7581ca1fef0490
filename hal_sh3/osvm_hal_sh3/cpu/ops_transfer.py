"""Data transfer: MOV in all its addressing modes, MOVA, MOVT, SWAP, XTRCT."""

from __future__ import annotations

from .emit import Emit, s8
from .isa import op

M = "0xFFFFFFFF"
SEXT = {1: "(v | 0xFFFFFF00) if v & 0x80 else v", 2: "(v | 0xFFFF0000) if v & 0x8000 else v", 4: "v"}
TRUNC = {1: " & 0xFF", 2: " & 0xFFFF", 4: ""}
SUFFIX = {1: "B", 2: "W", 4: "L"}


def _load_into(e: Emit, size: int, address: str, n: int) -> list[str]:
    return e.load(size, address) + [f"r[{n}] = {SEXT[size]}"]


@op("0110nnnnmmmm0011", "MOV Rm,Rn")
def mov(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = r[{m}]"]


@op("1110nnnniiiiiiii", "MOV #imm,Rn")
def mov_imm(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = {s8(i) & 0xFFFFFFFF:#x}"]


@op("1001nnnndddddddd", "MOV.W @(disp,PC),Rn")
def mov_w_pc(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _load_into(e, 2, e.pc_relative(i * 2, align4=False), n)


@op("1101nnnndddddddd", "MOV.L @(disp,PC),Rn")
def mov_l_pc(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _load_into(e, 4, e.pc_relative(i * 4, align4=True), n)


@op("11000111dddddddd", "MOVA @(disp,PC),R0")
def mova(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[0] = {e.pc_relative(i * 4, align4=True)}"]


@op("0000nnnn00101001", "MOVT Rn")
def movt(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = 1 if t else 0"]


def _declare_sized(size: int, code: str) -> None:
    """Declare the register-indirect family of one access size (code = the size bits of the opcode)."""
    sfx = SUFFIX[size]
    trunc = TRUNC[size]

    @op(f"0010nnnnmmmm00{code}", f"MOV.{sfx} Rm,@Rn")
    def store(e: Emit, n: int, m: int, i: int) -> list[str]:
        return e.store(size, f"r[{n}]", f"r[{m}]{trunc}")

    @op(f"0110nnnnmmmm00{code}", f"MOV.{sfx} @Rm,Rn")
    def load(e: Emit, n: int, m: int, i: int) -> list[str]:
        return _load_into(e, size, f"r[{m}]", n)

    @op(f"0010nnnnmmmm01{code}", f"MOV.{sfx} Rm,@-Rn")
    def store_predec(e: Emit, n: int, m: int, i: int) -> list[str]:
        # The value stored is Rm before the decrement, also when m == n.
        return e.store(size, f"(r[{n}] - {size}) & {M}", f"r[{m}]{trunc}", then=[f"r[{n}] = a"])

    @op(f"0110nnnnmmmm01{code}", f"MOV.{sfx} @Rm+,Rn")
    def load_postinc(e: Emit, n: int, m: int, i: int) -> list[str]:
        lines = _load_into(e, size, f"r[{m}]", n)
        if n != m:  # with m == n the loaded value wins
            lines.append(f"r[{m}] = (a + {size}) & {M}")
        return lines

    @op(f"0000nnnnmmmm01{code}", f"MOV.{sfx} Rm,@(R0,Rn)")
    def store_r0(e: Emit, n: int, m: int, i: int) -> list[str]:
        return e.store(size, f"(r[0] + r[{n}]) & {M}", f"r[{m}]{trunc}")

    @op(f"0000nnnnmmmm11{code}", f"MOV.{sfx} @(R0,Rm),Rn")
    def load_r0(e: Emit, n: int, m: int, i: int) -> list[str]:
        return _load_into(e, size, f"(r[0] + r[{m}]) & {M}", n)

    @op(f"110000{code}dddddddd", f"MOV.{sfx} R0,@(disp,GBR)")
    def store_gbr(e: Emit, n: int, m: int, i: int) -> list[str]:
        return e.store(size, f"(c.gbr + {i * size}) & {M}", f"r[0]{trunc}")

    @op(f"110001{code}dddddddd", f"MOV.{sfx} @(disp,GBR),R0")
    def load_gbr(e: Emit, n: int, m: int, i: int) -> list[str]:
        return _load_into(e, size, f"(c.gbr + {i * size}) & {M}", 0)


_declare_sized(1, "00")
_declare_sized(2, "01")
_declare_sized(4, "10")


@op("10000000nnnndddd", "MOV.B R0,@(disp,Rn)")
def mov_b_store_disp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.store(1, f"(r[{n}] + {i}) & {M}", "r[0] & 0xFF")


@op("10000001nnnndddd", "MOV.W R0,@(disp,Rn)")
def mov_w_store_disp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.store(2, f"(r[{n}] + {i * 2}) & {M}", "r[0] & 0xFFFF")


@op("0001nnnnmmmmdddd", "MOV.L Rm,@(disp,Rn)")
def mov_l_store_disp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.store(4, f"(r[{n}] + {i * 4}) & {M}", f"r[{m}]")


@op("10000100mmmmdddd", "MOV.B @(disp,Rm),R0")
def mov_b_load_disp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _load_into(e, 1, f"(r[{m}] + {i}) & {M}", 0)


@op("10000101mmmmdddd", "MOV.W @(disp,Rm),R0")
def mov_w_load_disp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _load_into(e, 2, f"(r[{m}] + {i * 2}) & {M}", 0)


@op("0101nnnnmmmmdddd", "MOV.L @(disp,Rm),Rn")
def mov_l_load_disp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _load_into(e, 4, f"(r[{m}] + {i * 4}) & {M}", n)


@op("0110nnnnmmmm1000", "SWAP.B Rm,Rn")
def swap_b(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{m}]", f"r[{n}] = (x & 0xFFFF0000) | ((x & 0xFF) << 8) | ((x >> 8) & 0xFF)"]


@op("0110nnnnmmmm1001", "SWAP.W Rm,Rn")
def swap_w(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"x = r[{m}]", f"r[{n}] = ((x & 0xFFFF) << 16) | (x >> 16)"]


@op("0010nnnnmmmm1101", "XTRCT Rm,Rn")
def xtrct(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = ((r[{m}] & 0xFFFF) << 16) | (r[{n}] >> 16)"]
