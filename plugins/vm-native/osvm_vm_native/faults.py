"""Fault reports: what a CPU stop that ends a native task means, in words, with the PC."""

from __future__ import annotations

from typing import TYPE_CHECKING

from osvm_core.errors import GuestFault
from osvm_hal_sh3.cpu.decode import decode, disassemble

if TYPE_CHECKING:
    from osvm_hal_sh3.bus import RamWindow
    from osvm_hal_sh3.cpu import SH3CPU, StopReason

    from .program import Instance

EXPEVT_ILLEGAL, EXPEVT_SLOT = 0x180, 0x1A0
EXPEVT_READ, EXPEVT_WRITE = 0x0E0, 0x100
STACK_REACH = 4096      # an access this close below R15, under the stack block, is an overflow


def report(stop: StopReason, cpu: SH3CPU, instance: Instance, window: RamWindow | None) -> GuestFault:
    pc = stop.pc
    code = stop.code
    if code in (EXPEVT_ILLEGAL, EXPEVT_SLOT):
        try:
            opcode: int | None = cpu.bus.read16(pc)
        except Exception:  # noqa: BLE001 - the opcode only decorates the report
            opcode = None
        if code == EXPEVT_SLOT:
            cause = "illegal instruction in a delay slot (slot illegal)"
        elif opcode is not None and decode(opcode) is not None:
            cause = f"privileged instruction '{disassemble(opcode)}' in user mode"
        else:
            cause = f"illegal instruction {opcode:#06x}" if opcode is not None else "illegal instruction"
    elif code in (EXPEVT_READ, EXPEVT_WRITE):
        address = stop.address if stop.address is not None else 0
        access = "write" if code == EXPEVT_WRITE else "read"
        if not stop.message.startswith("bus error"):
            cause = f"misaligned {access} at {address:#010x}"
        elif address == pc:
            cause = f"jump to {address:#010x}, outside the task's memory"
        elif window is not None and address < window.base and abs(cpu.r[15] - address) < STACK_REACH:
            cause = f"stack overflow: {access} at {address:#010x}, below the task's stack"
        else:
            cause = f"access outside the task's memory: {access} at {address:#010x}"
    else:
        cause = stop.message or f"exception {code:#x}"
    return GuestFault(cause, where=instance.where(pc))
