"""SH-3 exceptions: the Python signals instructions raise, their EXPEVT codes, and exception entry.

Generated instruction code raises these; the run loop catches them at the
instruction boundary, works out where the instruction was (and whether it sat
in a delay slot) and then either enters the exception through VBR like the
hardware or stops and reports to the host, as the CPU's configuration says.

No MMU is modelled, so the TLB exceptions (EXPEVT 0x040/0x060/0x0A0/0x0C0/0x080,
the TLB-miss vector VBR+0x400) never occur; nor is the user break controller,
so 0x1E0 is defined for the board's register map but never raised.
"""

from __future__ import annotations

from .state import SR_BL, SR_MD, SR_RB, CpuState

# EXPEVT codes (SH7708 family).
EXPEVT_RESET = 0x000
EXPEVT_TLB_MISS_READ = 0x040
EXPEVT_TLB_MISS_WRITE = 0x060
EXPEVT_ADDRESS_READ = 0x0E0
EXPEVT_ADDRESS_WRITE = 0x100
EXPEVT_TRAPA = 0x160
EXPEVT_ILLEGAL = 0x180
EXPEVT_SLOT_ILLEGAL = 0x1A0
EXPEVT_USER_BREAK = 0x1E0

# Offsets from VBR.
VECTOR_GENERAL = 0x100
VECTOR_TLB_MISS = 0x400  # unused: no MMU
VECTOR_INTERRUPT = 0x600


class CpuException(Exception):
    """An SH-3 exception raised by an instruction; ``code`` is its EXPEVT."""

    code = EXPEVT_ILLEGAL
    address: int | None = None

    def describe(self) -> str:
        return type(self).__name__


class IllegalInstruction(CpuException):
    """Undefined opcode, or a privileged instruction in user mode (not in a delay slot)."""

    code = EXPEVT_ILLEGAL


class SlotIllegal(CpuException):
    """A branch, an undefined opcode, or a privileged instruction in user mode in a delay slot."""

    code = EXPEVT_SLOT_ILLEGAL


class AddressError(CpuException):
    """Misaligned access, odd PC, or (via `BusError`) an address nothing answers at."""

    def __init__(self, address: int, write: int = 0, bus: bool = False) -> None:
        super().__init__(address, write)
        self.address = address
        self.write = bool(write)
        self.bus = bus
        self.code = EXPEVT_ADDRESS_WRITE if write else EXPEVT_ADDRESS_READ

    def describe(self) -> str:
        kind = "bus error" if self.bus else "address error"
        return f"{kind} ({'write' if self.write else 'read'}) at {self.address:#010x}"


class Trap(CpuException):
    """TRAPA #imm: the instruction completes; the exception (or host stop) follows it."""

    code = EXPEVT_TRAPA

    def __init__(self, imm: int) -> None:
        super().__init__(imm)
        self.imm = imm

    def describe(self) -> str:
        return f"TRAPA #{self.imm:#x}"


class SleepSignal(Exception):
    """SLEEP executed: the CPU waits at the SLEEP instruction for an interrupt."""


class BlockExit(Exception):
    """A store rewrote translated code or made an interrupt ready: the block ends after it."""


def enter_exception(cpu: CpuState, code: int, spc: int, offset: int = VECTOR_GENERAL) -> None:
    """Hardware exception entry: save PC/SR, go privileged on bank 1 with BL set, jump to VBR+offset."""
    cpu.ssr = cpu.sr
    cpu.spc = spc & 0xFFFFFFFF
    if offset == VECTOR_INTERRUPT:
        cpu.intevt = code
    else:
        cpu.expevt = code
    cpu.set_sr(cpu.sr | SR_MD | SR_RB | SR_BL)
    cpu.pc = (cpu.vbr + offset) & 0xFFFFFFFF
