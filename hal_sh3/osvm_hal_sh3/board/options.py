"""Settings of the SH-3 board, as given in the ``[hal]`` table of a system file.

The keys are the virt board's (so a system file runs on either board) plus
``tick_hz``. Everything is checked once, here: a bad value raises ValueError
naming the key, before the board exists.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, BinaryIO

from osvm_core.board_options import check_known_keys, console_options, whole_option
from osvm_core.sizes import parse_size

from .memory_map import AREA7, AREA_SIZE, SDRAM_BASE

DEFAULT_CLOCK_HZ = 60_000_000     # the SH7708 of the CAT-68701 runs at 60 MHz
DEFAULT_RAM = 16 << 20            # 16 MiB of SDRAM
DEFAULT_TICK_HZ = 100

def ram_size(value: Any) -> int:
    """Bytes of SDRAM from an int or a text such as '16MiB' or '512K' (binary units)."""
    size = parse_size(value, "hal option ram")
    if size % 4096:
        raise ValueError(f"hal option ram must be a positive multiple of 4 KiB (SDRAM comes in pages), "
                         f"got {value!r}")
    return size


@dataclass(frozen=True)
class Sh3Options:
    """The checked settings of one SH-3 board; field names are the ``[hal]`` keys."""

    clock_hz: int = DEFAULT_CLOCK_HZ
    ram: int = DEFAULT_RAM
    ram_base: int = SDRAM_BASE
    timer_period: int = DEFAULT_CLOCK_HZ // DEFAULT_TICK_HZ
    tick_hz: int | None = None
    console_in: bytes = b""
    console_out: Callable[[bytes], object] | None = None
    console_in_stream: BinaryIO | None = None

    @classmethod
    def known_keys(cls) -> tuple[str, ...]:
        return tuple(f.name for f in fields(cls))

    @classmethod
    def from_mapping(cls, options: Mapping[str, Any] | None) -> Sh3Options:
        options = dict(options or {})
        check_known_keys(options, cls.known_keys(), "sh3")
        clock_hz = whole_option("clock_hz", options.get("clock_hz", DEFAULT_CLOCK_HZ), 1, "cycles per second")
        ram = ram_size(options.get("ram", DEFAULT_RAM))
        ram_base = whole_option("ram_base", options.get("ram_base", SDRAM_BASE), 0,
                          "physical address of the first SDRAM byte")
        if ram_base % 4096:
            raise ValueError(f"hal option ram_base must be 4 KiB aligned, got {ram_base:#x}")
        if ram_base + ram > AREA7:
            raise ValueError(f"hal option ram_base {ram_base:#x} with ram {ram} ends past {AREA7:#x}: "
                             f"external memory lives in areas 0-6 of the 29-bit physical space")
        if ram_base == SDRAM_BASE and ram > AREA_SIZE:
            raise ValueError(f"hal option ram is {ram} bytes; area 3 (SDRAM at {SDRAM_BASE:#x}) holds at "
                             f"most {AREA_SIZE >> 20} MiB")
        tick_hz = options.get("tick_hz")
        if tick_hz is not None:
            if "timer_period" in options:
                raise ValueError("give hal option timer_period or tick_hz, not both")
            tick_hz = whole_option("tick_hz", tick_hz, 1, "timer interrupts per second")
            if tick_hz > clock_hz:
                raise ValueError(f"hal option tick_hz {tick_hz} is faster than the clock ({clock_hz} Hz)")
            period = clock_hz // tick_hz
        else:
            period = whole_option("timer_period", options.get("timer_period", max(1, clock_hz // DEFAULT_TICK_HZ)),
                            0, "cycles between TMU0 underflows, 0 stops the timer")
        console = console_options(options)
        return cls(clock_hz=clock_hz, ram=ram, ram_base=ram_base, timer_period=period, tick_hz=tick_hz,
                   console_in=console.console_in, console_out=console.console_out,
                   console_in_stream=console.console_in_stream)
