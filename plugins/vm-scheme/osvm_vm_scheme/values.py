"""Scheme values as Python objects.

| Scheme | Python |
|---|---|
| exact integer | ``int`` (never ``bool``) |
| exact rational | ``fractions.Fraction`` (always with a denominator > 1) |
| flonum | ``float`` |
| complex | :class:`osvm_vm_scheme.numbers.Complex` |
| ``#t`` / ``#f`` | ``True`` / ``False`` |
| symbol | :class:`Symbol`, interned: ``eq?`` is ``is`` |
| pair / ``'()`` | :class:`Pair` / the singleton :data:`NIL` |
| character | :class:`Char`, interned per code point |
| string | :class:`MString` (mutable: the text lives in ``.s``) |
| vector | ``list`` |
| bytevector | ``bytearray`` |
| several values | :class:`Values` (one value is just the value) |

Procedures, ports, records, promises and the other object kinds live beside
the code that uses them; this module has only what every stage shares.
"""

from __future__ import annotations

from typing import Any


class Symbol:
    """An interned symbol; make them with :func:`sym`."""

    __slots__ = ("name",)

    def __init__(self, name: str) -> None:
        self.name = name

    def __repr__(self) -> str:
        return f"Symbol({self.name!r})"


_SYMBOLS: dict[str, Symbol] = {}


def sym(name: str) -> Symbol:
    """The symbol called ``name`` (the same object every time)."""
    found = _SYMBOLS.get(name)
    if found is None:
        found = _SYMBOLS[name] = Symbol(name)
    return found


class _Singleton:
    __slots__ = ("label",)

    def __init__(self, label: str) -> None:
        self.label = label

    def __repr__(self) -> str:
        return self.label


#: The empty list.
NIL = _Singleton("()")
#: What expressions with no useful value return (printed as nothing by the REPL).
UNSPECIFIED = _Singleton("#<unspecified>")
#: The end-of-file object.
EOF = _Singleton("#<eof>")
#: What a letrec variable holds before its initialiser has run.
UNBOUND = _Singleton("#<unbound>")
#: Marks a missing optional argument in primitives written with ``*args``.
MISSING = _Singleton("#<missing>")


class Pair:
    __slots__ = ("car", "cdr")

    def __init__(self, car: Any, cdr: Any) -> None:
        self.car = car
        self.cdr = cdr

    def __repr__(self) -> str:
        from .printer import write_string
        return write_string(self)


class Char:
    """A character; make them with :func:`char` so that equal characters are the same object."""

    __slots__ = ("ch",)

    def __init__(self, ch: str) -> None:
        self.ch = ch

    def __repr__(self) -> str:
        from .printer import write_string
        return write_string(self)


_CHARS: dict[str, Char] = {}


def char(ch: str) -> Char:
    found = _CHARS.get(ch)
    if found is None:
        found = _CHARS[ch] = Char(ch)
    return found


class MString:
    """A mutable Scheme string; the text is the Python ``str`` in ``s``."""

    __slots__ = ("s",)

    def __init__(self, s: str) -> None:
        self.s = s

    def __repr__(self) -> str:
        return f"MString({self.s!r})"


class Values:
    """Zero or two-plus values returned together (one value travels as itself)."""

    __slots__ = ("items",)

    def __init__(self, items: tuple[Any, ...]) -> None:
        self.items = items

    def __repr__(self) -> str:
        return f"Values{self.items!r}"


def make_values(items: tuple[Any, ...] | list[Any]) -> Any:
    if len(items) == 1:
        return items[0]
    return Values(tuple(items))


class Cell:
    """A top-level variable. While unbound the ``value`` slot is empty (reading it raises
    AttributeError, which the machine reports as an unbound variable)."""

    __slots__ = ("value", "name", "frozen")

    def __init__(self, name: str) -> None:
        self.name = name
        self.frozen = False    # a binding of a standard library: never assigned again

    def bound(self) -> bool:
        return hasattr(self, "value")

    def __repr__(self) -> str:
        return f"Cell({self.name})"


# ---------------------------------------------------------------- lists


def from_list(items: Any, tail: Any = NIL) -> Any:
    """A Scheme list of the Python sequence ``items`` (ending in ``tail``)."""
    result = tail
    for item in reversed(items):
        result = Pair(item, result)
    return result


def to_list(x: Any) -> list[Any]:
    """The elements of a proper Scheme list; ValueError for anything else (cycles included)."""
    out = []
    slow = x
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
        if type(x) is not Pair:
            break
        out.append(x.car)
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            raise ValueError("circular list")
    if x is not NIL:
        raise ValueError("not a proper list")
    return out


def is_list(x: Any) -> bool:
    slow = x
    while True:
        if x is NIL:
            return True
        if type(x) is not Pair:
            return False
        x = x.cdr
        if x is NIL:
            return True
        if type(x) is not Pair:
            return False
        x = x.cdr
        slow = slow.cdr
        if x is slow:
            return False


def truthy(x: Any) -> bool:
    return x is not False


# ---------------------------------------------------------------- errors


class ErrorObject:
    """What ``error`` and the system raise. ``kind``: error, file, read, os, syntax, arity, type."""

    __slots__ = ("message", "irritants", "kind", "code")

    def __init__(self, message: str, irritants: list[Any] | tuple[Any, ...] = (), kind: str = "error",
                 code: int | None = None) -> None:
        self.message = message
        self.irritants = list(irritants)
        self.kind = kind
        self.code = code

    def __repr__(self) -> str:
        return f"ErrorObject({self.message!r}, {self.irritants!r}, {self.kind!r})"


class SchemeError(Exception):
    """Raised by primitives (in Python) to raise ``payload`` in Scheme (non-continuably)."""

    def __init__(self, payload: Any) -> None:
        super().__init__(payload)
        self.payload = payload


def error(message: str, *irritants: Any, kind: str = "error") -> SchemeError:
    """A SchemeError carrying an error object; ``raise error("car: not a pair", x)``."""
    return SchemeError(ErrorObject(message, irritants, kind))


# ---------------------------------------------------------------- records and promises


class RecordType:
    __slots__ = ("name", "fields", "uid")
    _count = 0

    def __init__(self, name: str, fields: tuple[str, ...]) -> None:
        self.name = name
        self.fields = fields
        RecordType._count += 1
        self.uid = RecordType._count

    def __repr__(self) -> str:
        return f"#<record-type {self.name}>"


class Record:
    __slots__ = ("rtype", "values")

    def __init__(self, rtype: RecordType, values: list[Any]) -> None:
        self.rtype = rtype
        self.values = values


class Promise:
    """``box`` is shared between promises chained by ``delay-force``: [done?, value-or-thunk]."""

    __slots__ = ("box",)

    def __init__(self, done: bool, value: Any) -> None:
        self.box = [done, value]


class Environment:
    """A first-class environment for ``eval``: wraps a top-level environment of the compiler."""

    __slots__ = ("top",)

    def __init__(self, top: Any) -> None:
        self.top = top
