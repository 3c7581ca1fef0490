"""Options of the virt board, as given in the ``[hal]`` table of a system file.

They are checked once, up front, into a frozen dataclass: a bad system file then
fails when it is loaded, with a message naming the key, instead of deep inside a run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, BinaryIO

from osvm_core.board_options import check_known_keys, console_options, whole_option
from osvm_core.sizes import GIB, MIB, parse_size

DEFAULT_CLOCK_HZ = 10_000_000
DEFAULT_RAM = 16 * MIB
MAX_RAM = GIB  # the RAM is a real bytearray; refuse sizes that would only end in MemoryError
MAX_ADDRESS = 1 << 64

@dataclass(frozen=True)
class VirtOptions:
    """The checked settings of one virt board; field names are the ``[hal]`` keys."""

    clock_hz: int = DEFAULT_CLOCK_HZ
    ram: int = DEFAULT_RAM
    ram_base: int = 0
    timer_period: int = DEFAULT_CLOCK_HZ // 100
    console_in: bytes = b""
    console_out: Callable[[bytes], object] | None = None
    console_in_stream: BinaryIO | None = None

    @classmethod
    def known_keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any] | None) -> VirtOptions:
        """Check a ``[hal]`` table; every problem raises ValueError naming the key."""
        options = dict(options or {})
        check_known_keys(options, cls.known_keys(), "virt")

        clock_hz = whole_option("clock_hz", options.get("clock_hz", DEFAULT_CLOCK_HZ), 1, "cycles per second")
        ram = parse_size(options.get("ram", DEFAULT_RAM), "hal option ram")
        if ram > MAX_RAM:
            raise ValueError(f"hal option ram is {ram} bytes; the virt board models at most {MAX_RAM} (1GiB)")
        ram_base = whole_option("ram_base", options.get("ram_base", 0), 0, "address of the first RAM byte")
        if ram_base + ram > MAX_ADDRESS:
            raise ValueError(f"hal option ram_base {ram_base:#x} puts RAM past the 64-bit address space")
        # A 100 Hz tick by default; at least one cycle so a slow clock does not silently lose its timer.
        timer_period = whole_option("timer_period", options.get("timer_period", max(1, clock_hz // 100)), 0,
                                    "cycles between timer interrupts, 0 disables the timer")

        console = console_options(options)
        return cls(
            clock_hz=clock_hz,
            ram=ram,
            ram_base=ram_base,
            timer_period=timer_period,
            console_in=console.console_in,
            console_out=console.console_out,
            console_in_stream=console.console_in_stream,
        )
