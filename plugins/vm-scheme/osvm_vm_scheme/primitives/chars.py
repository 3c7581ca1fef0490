"""Characters (R7RS 6.6), with Unicode semantics from Python's ``str`` and ``unicodedata``."""

from __future__ import annotations

import unicodedata
from typing import Any

from ..values import Char, char, error
from .registry import define, prim


def _ch(x: Any, name: str) -> str:
    if type(x) is not Char:
        raise error(f"{name}: not a character", x, kind="type")
    return x.ch


@prim("char?")
def char_p(x: Any) -> bool:
    return type(x) is Char


@prim("char->integer")
def char_to_integer(c: Any) -> int:
    return ord(_ch(c, "char->integer"))


@prim("integer->char")
def integer_to_char(n: Any) -> Char:
    if type(n) is not int or not (0 <= n < 0xD800 or 0xE000 <= n <= 0x10FFFF):
        raise error("integer->char: not a Unicode scalar value", n, kind="type")
    return char(chr(n))


def _compare(name: str, key: Any, op: Any) -> None:
    def compare(a: Any, b: Any, *rest: Any) -> bool:
        values = [key(_ch(x, name)) for x in (a, b, *rest)]
        return all(op(values[i], values[i + 1]) for i in range(len(values) - 1))
    compare.__name__ = name
    define(name, compare, 2, None)


def _fold(c: str) -> str:
    folded = c.casefold()
    return folded if len(folded) == 1 else c


for _suffix, _op in (("=?", lambda a, b: a == b), ("<?", lambda a, b: a < b), (">?", lambda a, b: a > b),
                     ("<=?", lambda a, b: a <= b), (">=?", lambda a, b: a >= b)):
    _compare("char" + _suffix, lambda c: c, _op)
    _compare("char-ci" + _suffix, _fold, _op)


@prim("char-alphabetic?")
def char_alphabetic(c: Any) -> bool:
    return _ch(c, "char-alphabetic?").isalpha()


@prim("char-numeric?")
def char_numeric(c: Any) -> bool:
    return unicodedata.category(_ch(c, "char-numeric?")) == "Nd"


@prim("char-whitespace?")
def char_whitespace(c: Any) -> bool:
    return _ch(c, "char-whitespace?").isspace()


@prim("char-upper-case?")
def char_upper(c: Any) -> bool:
    return _ch(c, "char-upper-case?").isupper()


@prim("char-lower-case?")
def char_lower(c: Any) -> bool:
    return _ch(c, "char-lower-case?").islower()


@prim("digit-value")
def digit_value(c: Any) -> Any:
    ch = _ch(c, "digit-value")
    if unicodedata.category(ch) != "Nd":
        return False
    return unicodedata.decimal(ch)


def _single(f: Any, c: str) -> str:
    result = f(c)
    return result if len(result) == 1 else c


@prim("char-upcase")
def char_upcase(c: Any) -> Char:
    return char(_single(str.upper, _ch(c, "char-upcase")))


@prim("char-downcase")
def char_downcase(c: Any) -> Char:
    return char(_single(str.lower, _ch(c, "char-downcase")))


@prim("char-foldcase")
def char_foldcase(c: Any) -> Char:
    return char(_fold(_ch(c, "char-foldcase")))
