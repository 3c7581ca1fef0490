"""The HAL contract: what the OS layer needs from a (simulated) board.

The OS never reaches past this interface (the Nachos line between machine and
OS). A board owns the cycle clock: nothing in osvm reads the host clock.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Protocol, runtime_checkable


@dataclass(frozen=True)
class InterruptLine:
    """A device's interrupt line as the board declares it."""

    number: int
    name: str          # the OS publishes the line's port as /dev/<name>
    priority: int = 1  # smaller is more urgent (the interrupt task's priority)
    signature: str = "u64"  # type of the message the line's acknowledge() returns
    input: bool = False     # it brings console input: see Board.wait_input


@runtime_checkable
class CPU(Protocol):
    """An optional processor that executes native code (e.g. the SH-3 core)."""

    def run(self, budget: int) -> Any: ...


@runtime_checkable
class Board(Protocol):
    """A board: clock, interrupt lines, RAM, console, and optionally a CPU."""

    name: str
    clock_hz: int
    ram: bytearray
    ram_base: int
    cpu: CPU | None
    lines: tuple[InterruptLine, ...]

    def now(self) -> int:
        """Cycles since reset."""

    def advance(self, cycles: int) -> None:
        """Let ``cycles`` pass: timers count down and raise their lines."""

    def next_event(self) -> int | None:
        """Cycle of the next device event (so an idle system can jump there), or None."""

    def pending(self) -> list[int]:
        """Raised, unmasked lines, most urgent first."""

    def acknowledge(self, line: int) -> Any:
        """Clear the line and return the message it carries (e.g. the tick number)."""

    def mask(self, line: int, masked: bool) -> None:
        """Mask or unmask a line at the interrupt controller."""

    def console_write(self, data: bytes) -> None:
        """Bytes to the console."""

    def console_read(self, limit: int) -> bytes:
        """Up to ``limit`` bytes of console input that have arrived; b'' if none."""

    def stats(self) -> dict[str, Any]:
        """Device counters for reports (e.g. timer overruns)."""

    # Optional: ``wait_input(self) -> bool``. The system is idle and a task waits for console
    # input: block until more arrives (raising the input line) and return True, or return
    # False when the input has ended; a board then raises the line once more with an empty
    # message (b""), which tells receivers "end of input". Boards without it have no input
    # stream; input they buffer raises the line by itself.
