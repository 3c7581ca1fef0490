"""Memory sizes as people write them in system files: 65536, "64K", "64KiB", "16MiB".

Units are binary by convention ("16MB" is 16 MiB), as they are for RAM. One parser
serves the system file, the boards and the VMs, so every size reads the same way.
"""

from __future__ import annotations

import re
from typing import Any

KIB = 1 << 10
MIB = 1 << 20
GIB = 1 << 30

_UNITS = {"": 1, "b": 1, "k": KIB, "kb": KIB, "kib": KIB, "m": MIB, "mb": MIB, "mib": MIB,
          "g": GIB, "gb": GIB, "gib": GIB}
_SIZE = re.compile(r"\s*([0-9][0-9_]*)\s*([A-Za-z]*)\s*")


def _from_text(text: str) -> int | None:
    match = _SIZE.fullmatch(text)
    if not match or match.group(2).lower() not in _UNITS:
        return None
    try:
        number = int(match.group(1))
    except ValueError:  # misplaced underscores, e.g. "1__0K"
        return None
    return number * _UNITS[match.group(2).lower()]


def parse_size(value: Any, what: str = "size", *, minimum: int = 1) -> int:
    """Bytes from an int or a text with an optional unit; ValueError names ``what`` and the text."""
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise ValueError(f"{what} must be a number of bytes or a text like '16MiB', got {value!r}")
    size = value if isinstance(value, int) else _from_text(value)
    if size is None:
        raise ValueError(f"bad {what} {value!r}: expected a number of bytes, optionally followed by "
                         f"a unit K, KiB, M, MiB, G or GiB (e.g. '16MiB', '64K')")
    if size < minimum:
        bound = "positive" if minimum == 1 else f"at least {minimum}"
        raise ValueError(f"{what} must be {bound}, got {value!r}")
    return size
