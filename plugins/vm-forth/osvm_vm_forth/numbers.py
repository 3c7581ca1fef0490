"""Number conversion for the text interpreter and numeric output."""

from __future__ import annotations

DIGITS = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ"


def digit_value(ch: int, base: int) -> int:
    """The value of the character ``ch`` as a digit in ``base``, or -1."""
    if 48 <= ch <= 57:
        v = ch - 48
    elif 65 <= ch <= 90:
        v = ch - 55
    elif 97 <= ch <= 122:
        v = ch - 87
    else:
        return -1
    return v if v < base else -1


def parse_number(text: bytes, base: int) -> tuple[int, bool] | None:
    """A Forth-2012 number: (value, is_double) or None.

    Prefixes ``#`` decimal, ``$`` hex, ``%`` binary, then an optional ``-``; a
    trailing ``.`` makes a double-cell number; ``'c'`` is a character.
    """
    if len(text) == 3 and text[0] == 39 and text[2] == 39:
        return text[1], False
    i = 0
    n = len(text)
    if n and text[0] in b"#$%":
        base = {35: 10, 36: 16, 37: 2}[text[0]]
        i = 1
    negative = False
    if i < n and text[i] == 45:
        negative = True
        i += 1
    double = False
    if n > i and text[-1] == 46:
        double = True
        n -= 1
    if i >= n or not 2 <= base <= 36:
        return None
    value = 0
    for k in range(i, n):
        d = digit_value(text[k], base)
        if d < 0:
            return None
        value = value * base + d
    return (-value if negative else value), double


def to_base(value: int, base: int) -> str:
    """``value`` (any sign) written in ``base`` with upper-case digits."""
    if not 2 <= base <= 36:
        base = 10
    if value == 0:
        return "0"
    sign = "-" if value < 0 else ""
    value = abs(value)
    out = []
    while value:
        value, d = divmod(value, base)
        out.append(DIGITS[d])
    return sign + "".join(reversed(out))
