"""The SH-3 register file: general registers with their two R0-R7 banks, SR and the control registers.

Banking is modelled by swapping: ``r`` always holds R0-R15 as the program sees
them and ``rbank`` the R0-R7 of the other bank, so the hot code indexes one
list and never asks which bank is active. Every SR write that changes SR.RB
swaps the two in place (list identity never changes, so cached references stay
valid). User mode (SR.MD = 0) always runs on bank 0, so an SR write with
MD = 0 also clears RB: SR.RB then always names the bank that is in ``r``.

SR is kept as two fields because T is read and written by most instructions:
``t`` (0/1, a bool is fine) and ``srx`` (all the other SR bits, T cleared).
"""

from __future__ import annotations

MASK32 = 0xFFFFFFFF

SR_T = 0x00000001
SR_S = 0x00000002
SR_IMASK = 0x000000F0
SR_Q = 0x00000100
SR_M = 0x00000200
SR_FD = 0x00008000  # SH-4 only; an SH-3 reads it as 0
SR_BL = 0x10000000
SR_RB = 0x20000000
SR_MD = 0x40000000

SR_MASK_SH3 = SR_MD | SR_RB | SR_BL | SR_M | SR_Q | SR_IMASK | SR_S | SR_T  # 0x700003F3
SR_MASK_SH4 = SR_MASK_SH3 | SR_FD  # 0x700083F3, what the SH-4 vectors store

SR_RESET = SR_MD | SR_RB | SR_BL | SR_IMASK  # power-on / manual reset value
RESET_PC = 0xA0000000


class CpuState:
    """Registers and SR bookkeeping shared by the run loop and the generated code."""

    __slots__ = (
        "r", "rbank", "t", "srx", "pc", "gbr", "vbr", "ssr", "spc", "mach", "macl", "pr",
        "expevt", "intevt", "tra", "tea", "sr_mask",
        "irq_level", "irq_code", "irq_ready",
    )

    def __init__(self, sr_mask: int = SR_MASK_SH3) -> None:
        self.r: list[int] = [0] * 16
        self.rbank: list[int] = [0] * 8
        self.sr_mask = sr_mask
        self.t = 0
        self.srx = SR_RESET
        self.pc = RESET_PC
        self.gbr = 0
        self.vbr = 0
        self.ssr = 0
        self.spc = 0
        self.mach = 0
        self.macl = 0
        self.pr = 0
        # Exception registers of the SH7708 CCN; the board maps them to
        # EXPEVT/INTEVT/TRA/TEA (0xFFFFFFD4/D8/D0/FC) when it has a memory map.
        self.expevt = 0
        self.intevt = 0
        self.tra = 0
        self.tea = 0
        # The interrupt request the board's INTC presents (level 0 = none).
        self.irq_level = 0
        self.irq_code = 0
        self.irq_ready = False

    # -- SR -------------------------------------------------------------------

    @property
    def sr(self) -> int:
        """The whole SR as STC SR,Rn would read it."""
        return self.srx | (1 if self.t else 0)

    @sr.setter
    def sr(self, value: int) -> None:
        self.set_sr(value)

    def set_sr(self, value: int) -> None:
        """Write SR as an instruction does: mask, clear RB in user mode, swap banks on an RB change."""
        value &= self.sr_mask
        if not value & SR_MD:
            value &= ~SR_RB
        if (value ^ self.srx) & SR_RB:
            self._swap_banks()
        self.t = value & SR_T
        self.srx = value & ~SR_T
        self._update_irq()

    def load_sr(self, value: int) -> None:
        """Set SR without swapping banks (the caller loads ``r``/``rbank`` to match)."""
        self.t = value & SR_T
        self.srx = value & ~SR_T
        self._update_irq()

    def _swap_banks(self) -> None:
        r, other = self.r, self.rbank
        saved = r[0:8]
        r[0:8] = other
        other[:] = saved

    @property
    def md(self) -> bool:
        """Privileged mode (SR.MD)."""
        return bool(self.srx & SR_MD)

    def bank(self, number: int) -> list[int]:
        """A copy of R0-R7 of bank ``number`` (0 or 1), whichever is active."""
        active = 1 if self.srx & SR_RB else 0
        return list(self.r[0:8] if number == active else self.rbank)

    # -- interrupts -----------------------------------------------------------

    def set_interrupt(self, level: int, code: int = 0) -> None:
        """Present an interrupt request of priority ``level`` (1-15; 0 withdraws it).

        This is the wire from the board's INTC: it presents the most urgent
        pending source and its INTEVT code. The request is level-triggered: it
        stays until the board withdraws it (normally when the handler
        acknowledges the device). It is accepted at the next instruction
        boundary when ``level`` > SR.IMASK and SR.BL = 0.
        """
        self.irq_level = level
        self.irq_code = code
        self._update_irq()

    def clear_interrupt(self) -> None:
        """Withdraw the interrupt request."""
        self.set_interrupt(0, 0)

    def _update_irq(self) -> None:
        srx = self.srx
        self.irq_ready = bool(self.irq_level > (srx >> 4) & 15 and not srx & SR_BL)

    # -- convenience ------------------------------------------------------------

    def registers(self) -> dict[str, int]:
        """A snapshot of the architectural state, for reports and tests."""
        return {
            **{f"R{i}": v for i, v in enumerate(self.r)},
            **{f"R{i}_BANK": v for i, v in enumerate(self.rbank)},
            "PC": self.pc, "SR": self.sr, "GBR": self.gbr, "VBR": self.vbr, "SSR": self.ssr,
            "SPC": self.spc, "MACH": self.mach, "MACL": self.macl, "PR": self.pr,
        }
