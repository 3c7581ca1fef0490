"""Branches. Each template leaves the destination in the local ``tg``; the translator
runs the delay slot (for the delayed forms) and returns ``tg`` as the next PC.

Interrupts are never accepted between a delayed branch and its slot: the two
are always translated and executed together.
"""

from __future__ import annotations

from .emit import Emit, s8, s12
from .isa import AFTER_SLOT, COND, DELAYED, NOSLOT, PRIV, op


@op("1010dddddddddddd", "BRA label", DELAYED | NOSLOT)
def bra(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"tg = {e.here(4 + s12(i) * 2)}"]


@op("1011dddddddddddd", "BSR label", DELAYED | NOSLOT)
def bsr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"c.pr = {e.here(4)}", f"tg = {e.here(4 + s12(i) * 2)}"]


@op("0000mmmm00100011", "BRAF Rm", DELAYED | NOSLOT)
def braf(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"tg = ({e.here(4)} + r[{m}]) & 0xFFFFFFFF"]


@op("0000mmmm00000011", "BSRF Rm", DELAYED | NOSLOT)
def bsrf(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"tg = ({e.here(4)} + r[{m}]) & 0xFFFFFFFF", f"c.pr = {e.here(4)}"]


@op("0100mmmm00101011", "JMP @Rm", DELAYED | NOSLOT)
def jmp(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"tg = r[{m}]"]


@op("0100mmmm00001011", "JSR @Rm", DELAYED | NOSLOT)
def jsr(e: Emit, n: int, m: int, i: int) -> list[str]:
    return [f"tg = r[{m}]", f"c.pr = {e.here(4)}"]


@op("0000000000001011", "RTS", DELAYED | NOSLOT)
def rts(e: Emit, n: int, m: int, i: int) -> list[str]:
    return ["tg = c.pr"]


@op("0000000000101011", "RTE", DELAYED | NOSLOT | PRIV)
def rte(e: Emit, n: int, m: int, i: int) -> list[str]:
    # SPC and SSR are read when RTE executes; SR is restored after the slot,
    # so the slot still runs in the old mode and register bank (as the
    # single-step vectors record; the manuals' pseudo-code is ambiguous).
    return ["tg = c.spc", "y = c.ssr", AFTER_SLOT, "c.set_sr(y)", "t = c.t"]


def _conditional(e: Emit, i: int, when: str, skip: int) -> list[str]:
    return [f"tg = {e.here(4 + s8(i) * 2)} if {when} else {e.here(skip)}"]


@op("10001001dddddddd", "BT label", COND | NOSLOT)
def bt(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _conditional(e, i, "t", 2)


@op("10001011dddddddd", "BF label", COND | NOSLOT)
def bf(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _conditional(e, i, "not t", 2)


@op("10001101dddddddd", "BT/S label", DELAYED | NOSLOT)
def bt_s(e: Emit, n: int, m: int, i: int) -> list[str]:
    # T is sampled before the slot runs (the slot may change it).
    return _conditional(e, i, "t", 4)


@op("10001111dddddddd", "BF/S label", DELAYED | NOSLOT)
def bf_s(e: Emit, n: int, m: int, i: int) -> list[str]:
    return _conditional(e, i, "not t", 4)
