"""Checks every board applies to its ``[hal]`` table, so all boards word their errors alike.

A board keeps its own dataclass of settings; these helpers check the keys every
board shares (unknown keys, whole numbers, the console) and raise ValueError
naming the key, which the system-file reader turns into a message naming the file.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, BinaryIO


def check_known_keys(options: Mapping[str, Any], known: Iterable[str], board: str) -> None:
    known = tuple(known)
    for key in options:
        if key not in known:
            raise ValueError(f"unknown hal option {key!r} for the {board} board; known options: "
                             f"{', '.join(known)}")


def whole_option(key: str, value: Any, minimum: int, meaning: str) -> int:
    """An integer >= ``minimum`` (bools refused); ``meaning`` tells the user what it sets."""
    if isinstance(value, bool) or not isinstance(value, int) or value < minimum:
        kind = "a positive integer" if minimum > 0 else "a non-negative integer"
        raise ValueError(f"hal option {key} must be {kind} ({meaning}), got {value!r}")
    return value


@dataclass(frozen=True)
class ConsoleOptions:
    console_in: bytes = b""
    console_out: Callable[[bytes], object] | None = None
    console_in_stream: BinaryIO | None = None


def console_options(options: Mapping[str, Any]) -> ConsoleOptions:
    """``console_in`` (text or bytes at reset), ``console_out`` (a callable), ``console_in_stream``."""
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
    return ConsoleOptions(console_in, console_out, stream)
