"""System control: T/S/MAC clears, LDC/STC and LDS/STS (including the banked
registers), SLEEP, TRAPA, LDTLB and PREF (no TLB or cache is modelled: no-ops)."""

from __future__ import annotations

from .emit import Emit
from .isa import ENDS, NOSLOT, PRIV, op

M = "0xFFFFFFFF"


@op("0000000000001001", "NOP")
def nop(e: Emit, n: int, m: int, i: int) -> list[str]:
    return []


@op("0000000000001000", "CLRT")
def clrt(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["t = 0"]


@op("0000000000011000", "SETT")
def sett(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["t = 1"]


@op("0000000001001000", "CLRS")
def clrs(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["c.srx &= ~2"]


@op("0000000001011000", "SETS")
def sets(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["c.srx |= 2"]


@op("0000000000101000", "CLRMAC")
def clrmac(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["c.mach = 0", "c.macl = 0"]


@op("0000000000111000", "LDTLB", PRIV)
def ldtlb(e: Emit, n: int, m: int, i: int) -> list[str]:
    return []  # no TLB is modelled


@op("0000nnnn10000011", "PREF @Rn")
def pref(e: Emit, n: int, m: int, i: int) -> list[str]:
    return []  # no cache is modelled


@op("0000000000011011", "SLEEP", PRIV | ENDS)
def sleep(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["raise SLEEP"]


@op("11000011iiiiiiii", "TRAPA #imm", NOSLOT | ENDS)
def trapa(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"raise TRAP({i:#x})"]


# -- SR: privileged, and every write ends the block so a newly unmasked
#    interrupt is seen at once. ------------------------------------------------

@op("0100mmmm00001110", "LDC Rm,SR", PRIV | ENDS)
def ldc_sr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"c.set_sr(r[{m}])", "t = c.t"]


@op("0100mmmm00000111", "LDC.L @Rm+,SR", PRIV | ENDS)
def ldc_l_sr(e: Emit, n: int, m: int, i: int) -> list[str]:
    # Rm is incremented in the bank that was active when it was named.
    return e.load(4, f"r[{m}]") + [f"r[{m}] = (a + 4) & {M}", "c.set_sr(v)", "t = c.t"]


@op("0000nnnn00000010", "STC SR,Rn", PRIV)
def stc_sr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = c.srx | t"]


@op("0100nnnn00000011", "STC.L SR,@-Rn", PRIV)
def stc_l_sr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.store(4, f"(r[{n}] - 4) & {M}", "c.srx | t", then=[f"r[{n}] = a"])


# -- the plain control and system registers -------------------------------------

def _declare_register(name: str, attr: str, ld: str, ldl: str, st: str, stl: str,
                      flags: int, family: tuple[str, str]) -> None:
    """LDx Rm,REG / LDx.L @Rm+,REG / STx REG,Rn / STx.L REG,@-Rn for one register."""
    load_op, store_op = family

    @op(f"0100mmmm{ld}", f"{load_op} Rm,{name}", flags)
    def to_reg(e: Emit, n: int, m: int, i: int) -> list[str]:
        return [f"c.{attr} = r[{m}]"]

    @op(f"0100mmmm{ldl}", f"{load_op}.L @Rm+,{name}", flags)
    def to_reg_postinc(e: Emit, n: int, m: int, i: int) -> list[str]:
        return e.load(4, f"r[{m}]") + [f"r[{m}] = (a + 4) & {M}", f"c.{attr} = v"]

    @op(f"0000nnnn{st}", f"{store_op} {name},Rn", flags)
    def from_reg(e: Emit, n: int, m: int, i: int) -> list[str]:
        return [f"r[{n}] = c.{attr}"]

    @op(f"0100nnnn{stl}", f"{store_op}.L {name},@-Rn", flags)
    def from_reg_predec(e: Emit, n: int, m: int, i: int) -> list[str]:
        return e.store(4, f"(r[{n}] - 4) & {M}", f"c.{attr}", then=[f"r[{n}] = a"])


_LDC = ("LDC", "STC")
_LDS = ("LDS", "STS")
_declare_register("GBR", "gbr", "00011110", "00010111", "00010010", "00010011", 0, _LDC)
_declare_register("VBR", "vbr", "00101110", "00100111", "00100010", "00100011", PRIV, _LDC)
_declare_register("SSR", "ssr", "00111110", "00110111", "00110010", "00110011", PRIV, _LDC)
_declare_register("SPC", "spc", "01001110", "01000111", "01000010", "01000011", PRIV, _LDC)
_declare_register("MACH", "mach", "00001010", "00000110", "00001010", "00000010", 0, _LDS)
_declare_register("MACL", "macl", "00011010", "00010110", "00011010", "00010010", 0, _LDS)
_declare_register("PR", "pr", "00101010", "00100110", "00101010", "00100010", 0, _LDS)


# -- the other register bank ------------------------------------------------------

@op("0100mmmm1nnn1110", "LDC Rm,Rn_BANK", PRIV)
def ldc_bank(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"c.rbank[{n}] = r[{m}]"]


@op("0100mmmm1nnn0111", "LDC.L @Rm+,Rn_BANK", PRIV)
def ldc_l_bank(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.load(4, f"r[{m}]") + [f"r[{m}] = (a + 4) & {M}", f"c.rbank[{n}] = v"]


@op("0000nnnn1mmm0010", "STC Rm_BANK,Rn", PRIV)
def stc_bank(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"r[{n}] = c.rbank[{m}]"]


@op("0100nnnn1mmm0011", "STC.L Rm_BANK,@-Rn", PRIV)
def stc_l_bank(e: Emit, n: int, m: int, i: int) -> list[str]:
    return e.store(4, f"(r[{n}] - 4) & {M}", f"c.rbank[{m}]", then=[f"r[{n}] = a"])
