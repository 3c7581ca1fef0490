"""The native system-call table: ``trapa #imm`` numbers -> ``/os`` services.

A system call is a C call of a stub that traps: the arguments are already where
the SH C calling convention puts them (R4-R7, then @R15), typed by the
service's signature (abi.py); the result comes back in R0 (and R1 for the high
word of a 64-bit result), an error as a negative μITRON code in R0. On top of
the plain C mapping:

* a result of type string, bytes or any is written into a buffer the caller
  passes as two more words (``void *buf, uint32_t cap``); R0 is the length of
  the whole result (copy ``min(length, cap)``), so a short buffer is noticed;
* an ``any`` parameter (a port message) is one signed 32-bit integer; an
  ``any`` result is encoded as `abi.encode` says;
* ``handle`` 0 is passed as the integer 0, which services read as "the caller"
  (TSK_SELF) where that means something.

``OSVM_SYS_EXIT`` ends the task at once (no service call), ``OSVM_TRAP_IMPORT``
is the trap of the import stubs OSVM_IMPORT makes, and traps 0x10-0x17 with
the number in R3 are a small Linux compatibility layer (write, exit,
exit_group), so that one binary runs under both ``qemu-sh4`` and osvm.
The header ``guest/include/osvm.h`` carries the same numbers (a test checks).
"""

from __future__ import annotations

from dataclasses import dataclass

#: trapa #imm of the stubs made by OSVM_IMPORT (R0 holds the import record's address).
TRAP_IMPORT = 0x7F
#: trapa #imm range of the Linux system-call ABI (number in R3, arguments in R4-R6).
LINUX_TRAPS = range(0x10, 0x18)
LINUX_EXIT, LINUX_WRITE, LINUX_EXIT_GROUP = 1, 4, 248
LINUX_ENOSYS, LINUX_EBADF, LINUX_EFAULT = -38, -9, -14


@dataclass(frozen=True)
class Syscall:
    number: int
    path: str

    @property
    def name(self) -> str:
        """The C name: OSVM_SYS_<NAME> and osvm_<name>()."""
        return "exit" if self.path == "/os/task/exit" else self.path.removeprefix("/os/").replace("/", "_")


SYSCALLS: tuple[Syscall, ...] = tuple(Syscall(number, path) for number, path in (
    (0x20, "/os/task/exit"),
    (0x21, "/os/task/self"),
    (0x22, "/os/task/open"),
    (0x23, "/os/task/create"),
    (0x24, "/os/task/activate"),
    (0x25, "/os/task/terminate"),
    (0x26, "/os/task/suspend"),
    (0x27, "/os/task/resume"),
    (0x28, "/os/task/sleep"),
    (0x29, "/os/task/wakeup"),
    (0x2A, "/os/task/cancel_wakeups"),
    (0x2B, "/os/task/delay"),
    (0x2C, "/os/task/release_wait"),
    (0x2D, "/os/task/set_priority"),
    (0x2E, "/os/task/get_priority"),
    (0x2F, "/os/task/state"),
    (0x30, "/os/task/rotate"),
    (0x38, "/os/sem/create"),
    (0x39, "/os/sem/open"),
    (0x3A, "/os/sem/wait"),
    (0x3B, "/os/sem/poll"),
    (0x3C, "/os/sem/signal"),
    (0x3D, "/os/sem/count"),
    (0x3E, "/os/sem/delete"),
    (0x40, "/os/mpf/create"),
    (0x41, "/os/mpf/open"),
    (0x42, "/os/mpf/get"),
    (0x43, "/os/mpf/release"),
    (0x44, "/os/mpf/free"),
    (0x45, "/os/mpf/delete"),
    (0x48, "/os/mpl/create"),
    (0x49, "/os/mpl/open"),
    (0x4A, "/os/mpl/get"),
    (0x4B, "/os/mpl/release"),
    (0x4C, "/os/mpl/delete"),
    (0x50, "/os/mem/read"),
    (0x51, "/os/mem/write"),
    (0x58, "/os/port/create"),
    (0x59, "/os/port/open"),
    (0x5A, "/os/port/send"),
    (0x5B, "/os/port/receive"),
    (0x5C, "/os/port/upcall"),
    (0x5D, "/os/port/delete"),
    (0x60, "/os/console/write"),
    (0x61, "/os/console/write_bytes"),
    (0x68, "/os/time/now"),
    (0x69, "/os/time/hz"),
    (0x70, "/os/sys/random"),
))

BY_NUMBER: dict[int, Syscall] = {call.number: call for call in SYSCALLS}
EXIT = BY_NUMBER[0x20]


def header_table() -> str:
    """The ``#define OSVM_SYS_...`` lines of osvm.h, in table order."""
    return "\n".join(f"#define OSVM_SYS_{call.name.upper():<22} 0x{call.number:02X}  /* {call.path} */"
                     for call in SYSCALLS)
