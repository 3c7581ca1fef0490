"""``write``, ``write-shared``, ``write-simple`` and ``display``, without Python recursion.

``write`` labels only the pairs and vectors that are part of a cycle (``#0=(1 . #0#)``),
``write-shared`` every pair or vector reached twice, ``write-simple`` none. Symbols that
would not read back as themselves are written between bars.
"""

from __future__ import annotations

from typing import Any

from osvm_core.names.signature import Handle

from .numbers import NUMBER_TYPES, number_to_string, parse_number
from .values import EOF, NIL, UNBOUND, UNSPECIFIED, Char, MString, Pair, Record, Symbol, Values

_CHAR_NAMES = {"\a": "alarm", "\b": "backspace", "\x7f": "delete", "\x1b": "escape", "\n": "newline",
               "\0": "null", "\r": "return", " ": "space", "\t": "tab"}
_STRING_ESCAPES = {'"': '\\"', "\\": "\\\\", "\n": "\\n", "\t": "\\t", "\r": "\\r", "\a": "\\a",
                   "\b": "\\b"}
_SYMBOL_SPECIAL = frozenset(" \t\n\r\f\v()[]\";'`,|{}")


def symbol_text(name: str) -> str:
    """How ``write`` shows a symbol: bars when the plain name would read as something else."""
    if _needs_bars(name):
        out = []
        for c in name:
            if c == "|" or c == "\\":
                out.append("\\" + c)
            elif ord(c) < 32 or c == "\x7f":
                out.append(f"\\x{ord(c):x};")
            else:
                out.append(c)
        return "|" + "".join(out) + "|"
    return name


def _needs_bars(name: str) -> bool:
    if not name or name == ".":
        return True
    first = name[0]
    if first == "#" or first.isdigit():
        return True
    if any(c in _SYMBOL_SPECIAL or c == "\\" or ord(c) < 32 for c in name):
        return True
    if first in "+-" and len(name) > 1 and name[1].lower() in "0123456789.in":
        return True
    if first == "." and name != "...":
        return True
    return parse_number(name) is not None


def string_text(s: str) -> str:
    out = ['"']
    for c in s:
        escaped = _STRING_ESCAPES.get(c)
        if escaped is not None:
            out.append(escaped)
        elif ord(c) < 32 or c == "\x7f":
            out.append(f"\\x{ord(c):x};")
        else:
            out.append(c)
    out.append('"')
    return "".join(out)


def char_text(ch: str) -> str:
    name = _CHAR_NAMES.get(ch)
    if name is not None:
        return "#\\" + name
    if ord(ch) < 32 or not ch.isprintable() and not ch.isspace():
        return f"#\\x{ord(ch):x}"
    return "#\\" + ch


def _atom_text(x: Any, write: bool) -> str:
    t = type(x)
    if t is Symbol:
        return symbol_text(x.name) if write else x.name
    if t is MString:
        return string_text(x.s) if write else x.s
    if t is bool:
        return "#t" if x else "#f"
    if t in NUMBER_TYPES:
        return number_to_string(x)
    if t is Char:
        return char_text(x.ch) if write else x.ch
    if x is NIL:
        return "()"
    if t is bytearray:
        return "#u8(" + " ".join(str(b) for b in x) + ")"
    if x is UNSPECIFIED:
        return "#<unspecified>"
    if x is EOF:
        return "#<eof>"
    if x is UNBOUND:
        return "#<unbound>"
    if t is Values:
        return " ".join(_plain(v, write) for v in x.items)
    if t is Record:
        fields = " ".join(f"{name}: {_plain(value, True)}" for name, value in zip(x.rtype.fields, x.values,
                                                                                    strict=False))
        name = x.rtype.name.strip("<>")
        return f"#<{name}{' ' + fields if fields else ''}>"
    describe = getattr(x, "write_repr", None)
    if describe is not None:
        return describe()
    if t is Handle:
        return f"#<handle {x.kind} {x.id}>"
    return f"#<{t.__name__}>"


def _plain(x: Any, write: bool) -> str:
    out: list[str] = []
    _emit(x, out, write, None)
    return "".join(out)


def _find_labels(root: Any, shared: bool) -> dict[int, int] | None:
    """id -> -1 for each pair/vector that needs a label (cycles, or all sharing)."""
    if type(root) is not Pair and type(root) is not list:
        return None
    state: dict[int, int] = {}       # 1 on the DFS path, 2 finished
    marked: dict[int, int] = {}
    stack: list[tuple[Any, int]] = [(root, 0)]
    while stack:
        x, phase = stack.pop()
        key = id(x)
        if phase == 1:
            state[key] = 2
            continue
        seen = state.get(key)
        if seen is not None:
            if seen == 1 or shared:
                marked[key] = -1
            continue
        state[key] = 1
        stack.append((x, 1))
        if type(x) is Pair:
            children = (x.cdr, x.car)
        else:
            children = tuple(reversed(x))
        for child in children:
            if type(child) is Pair or (type(child) is list and child):
                stack.append((child, 0))
    return marked or None


def _emit(root: Any, out: list[str], write: bool, labels: dict[int, int] | None) -> None:
    counter = [0]
    stack: list[Any] = [root]
    append = out.append
    while stack:
        x = stack.pop()
        t = type(x)
        if t is str:
            append(x)
            continue
        if t is not Pair and t is not list:
            append(_atom_text(x, write))
            continue
        if labels is not None and id(x) in labels:
            n = labels[id(x)]
            if n >= 0:
                append(f"#{n}#")
                continue
            n = labels[id(x)] = counter[0]
            counter[0] += 1
            append(f"#{n}=")
        if t is list:
            if not x:
                append("#()")
                continue
            append("#(")
            pieces: list[Any] = []
            for i, item in enumerate(x):
                if i:
                    pieces.append(" ")
                pieces.append(item)
            pieces.append(")")
            stack.extend(reversed(pieces))
            continue
        # a list: elements until the tail, or a labelled pair that must be written as a tail
        append("(")
        pieces = [x.car]
        tail = x.cdr
        while type(tail) is Pair and not (labels is not None and id(tail) in labels):
            pieces.append(" ")
            pieces.append(tail.car)
            tail = tail.cdr
        if tail is not NIL:
            pieces.append(" . ")
            pieces.append(tail)
        pieces.append(")")
        stack.extend(reversed(pieces))


def write_to(x: Any, out: list[str], *, mode: str = "write") -> None:
    """Append the text of ``x`` to ``out``; mode is write, shared, simple or display."""
    if mode == "simple":
        labels = None
    elif mode == "display":
        labels = _find_labels(x, False)
    else:
        labels = _find_labels(x, mode == "shared")
    _emit(x, out, mode != "display", labels)


def write_string(x: Any, mode: str = "write") -> str:
    out: list[str] = []
    write_to(x, out, mode=mode)
    return "".join(out)


def display_string(x: Any) -> str:
    t = type(x)
    if t is MString:
        return x.s
    if t is Char:
        return x.ch
    if t is Symbol:
        return x.name
    return write_string(x, "display")
