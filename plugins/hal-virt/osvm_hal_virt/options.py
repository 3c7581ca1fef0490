"""Options of the virt board, as given in the ``[hal]`` table of a system file.

They are checked once, up front, into a frozen dataclass: a bad system file then
fails when it is loaded, with a message naming the key, instead of deep inside a run.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass, fields
from typing import Any, BinaryIO

from osvm_core.sizes import GIB, MIB, parse_size

DEFAULT_CLOCK_HZ = 10_000_000
DEFAULT_RAM = 16 * MIB
MAX_RAM = GIB  # the RAM is a real bytearray; refuse sizes that would only end in MemoryError
MAX_ADDRESS = 1 << 64

def _int_option(key: str, value: Any, *, minimum: int, meaning: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        kind = "a positive integer" if minimum > 0 else "a non-negative integer"
        raise ValueError(f"hal option {key} must be {kind} ({meaning}), got {value!r}")
    return value


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
        known = cls.known_keys()
        for key in options:
            if key not in known:
                raise ValueError(
                    f"unknown hal option {key!r} for the virt board; known options: {', '.join(known)}"
                )

        clock_hz = _int_option(
            "clock_hz", options.get("clock_hz", DEFAULT_CLOCK_HZ), minimum=1, meaning="cycles per second"
        )
        ram = parse_size(options.get("ram", DEFAULT_RAM), "hal option ram")
        if ram > MAX_RAM:
            raise ValueError(f"hal option ram is {ram} bytes; the virt board models at most {MAX_RAM} (1GiB)")
        ram_base = _int_option(
            "ram_base", options.get("ram_base", 0), minimum=0, meaning="address of the first RAM byte"
        )
        if ram_base + ram > MAX_ADDRESS:
            raise ValueError(f"hal option ram_base {ram_base:#x} puts RAM past the 64-bit address space")
        # A 100 Hz tick by default; at least one cycle so a slow clock does not silently lose its timer.
        timer_period = _int_option(
            "timer_period",
            options.get("timer_period", max(1, clock_hz // 100)),
            minimum=0,
            meaning="cycles between timer interrupts, 0 disables the timer",
        )

        console_in = options.get("console_in", b"")
        if isinstance(console_in, str):
            console_in = console_in.encode("utf-8")
        elif isinstance(console_in, bytes | bytearray | memoryview):
            console_in = bytes(console_in)
        else:
            raise ValueError(f"hal option console_in must be a string or bytes, got {console_in!r}")

        console_out = options.get("console_out")
        if console_out is not None and not callable(console_out):
            raise ValueError(f"hal option console_out must be a callable taking bytes, got {console_out!r}")

        stream = options.get("console_in_stream")
        if stream is not None and not (hasattr(stream, "readline") or hasattr(stream, "read")):
            raise ValueError(f"hal option console_in_stream must be a binary file object, got {stream!r}")

        return cls(
            clock_hz=clock_hz,
            ram=ram,
            ram_base=ram_base,
            timer_period=timer_period,
            console_in=console_in,
            console_out=console_out,
            console_in_stream=stream,
        )
