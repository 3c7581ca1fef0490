"""Strings (R7RS 6.7): mutable :class:`MString` objects holding a Python ``str``."""

from __future__ import annotations

from typing import Any

from ..values import NIL, UNSPECIFIED, Char, MString, Pair, char, error, from_list
from .registry import define, prim


def _s(x: Any, name: str) -> str:
    if type(x) is not MString:
        raise error(f"{name}: not a string", x, kind="type")
    return x.s


def _range(name: str, length: int, start: Any, end: Any) -> tuple[int, int]:
    if end is None:
        end = length
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= length:
        raise error(f"{name}: bad range", start, end, kind="range")
    return start, end


@prim("string?")
def string_p(x: Any) -> bool:
    return type(x) is MString


@prim("make-string")
def make_string(k: Any, fill: Any = None) -> MString:
    if type(k) is not int or k < 0:
        raise error("make-string: not a valid length", k, kind="type")
    _limit(k * 4)
    c = " " if fill is None else _ch(fill, "make-string")
    return MString(c * k)


def _limit(nbytes: int) -> None:
    from ..machine import Running
    ctx = Running.ctx
    vm = getattr(ctx, "vm", None)
    limit = getattr(vm, "memory_limit", None)
    if limit is not None and nbytes > limit:
        raise error(f"out of memory: {nbytes} bytes asked, the VM's memory limit is {limit}", kind="memory")


def _ch(x: Any, name: str) -> str:
    if type(x) is not Char:
        raise error(f"{name}: not a character", x, kind="type")
    return x.ch


@prim("string")
def string(*chars: Any) -> MString:
    return MString("".join(_ch(c, "string") for c in chars))


@prim("string-length")
def string_length(s: Any) -> int:
    return len(_s(s, "string-length"))


@prim("string-ref")
def string_ref(s: Any, k: Any) -> Char:
    text = _s(s, "string-ref")
    if type(k) is not int or not 0 <= k < len(text):
        raise error("string-ref: index out of range", k, kind="range")
    return char(text[k])


@prim("string-set!")
def string_set(s: Any, k: Any, c: Any) -> Any:
    text = _s(s, "string-set!")
    if type(k) is not int or not 0 <= k < len(text):
        raise error("string-set!: index out of range", k, kind="range")
    s.s = text[:k] + _ch(c, "string-set!") + text[k + 1:]
    return UNSPECIFIED


def _compare(name: str, key: Any, op: Any) -> None:
    def compare(a: Any, b: Any, *rest: Any) -> bool:
        values = [key(_s(x, name)) for x in (a, b, *rest)]
        return all(op(values[i], values[i + 1]) for i in range(len(values) - 1))
    compare.__name__ = name
    define(name, compare, 2, None)


for _suffix, _op in (("=?", lambda a, b: a == b), ("<?", lambda a, b: a < b), (">?", lambda a, b: a > b),
                     ("<=?", lambda a, b: a <= b), (">=?", lambda a, b: a >= b)):
    _compare("string" + _suffix, lambda s: s, _op)
    _compare("string-ci" + _suffix, str.casefold, _op)


@prim("substring")
def substring(s: Any, start: Any, end: Any = None) -> MString:
    text = _s(s, "substring")
    a, b = _range("substring", len(text), start, end)
    return MString(text[a:b])


@prim("string-append", fixed={2: lambda a, b: MString(_s(a, "string-append") + _s(b, "string-append"))})
def string_append(*strings: Any) -> MString:
    return MString("".join(_s(x, "string-append") for x in strings))


@prim("string->list")
def string_to_list(s: Any, start: Any = 0, end: Any = None) -> Any:
    text = _s(s, "string->list")
    a, b = _range("string->list", len(text), start, end)
    return from_list([char(c) for c in text[a:b]])


@prim("list->string")
def list_to_string(lst: Any) -> MString:
    out = []
    while type(lst) is Pair:
        out.append(_ch(lst.car, "list->string"))
        lst = lst.cdr
    if lst is not NIL:
        raise error("list->string: not a proper list", lst, kind="type")
    return MString("".join(out))


@prim("string-copy")
def string_copy(s: Any, start: Any = 0, end: Any = None) -> MString:
    text = _s(s, "string-copy")
    a, b = _range("string-copy", len(text), start, end)
    return MString(text[a:b])


@prim("string-copy!")
def string_copy_bang(to: Any, at: Any, source: Any, start: Any = 0, end: Any = None) -> Any:
    target = _s(to, "string-copy!")
    text = _s(source, "string-copy!")
    a, b = _range("string-copy!", len(text), start, end)
    if type(at) is not int or not 0 <= at <= len(target) - (b - a):
        raise error("string-copy!: bad destination index", at, kind="range")
    to.s = target[:at] + text[a:b] + target[at + b - a:]
    return UNSPECIFIED


@prim("string-fill!")
def string_fill(s: Any, c: Any, start: Any = 0, end: Any = None) -> Any:
    text = _s(s, "string-fill!")
    a, b = _range("string-fill!", len(text), start, end)
    s.s = text[:a] + _ch(c, "string-fill!") * (b - a) + text[b:]
    return UNSPECIFIED


@prim("string-upcase")
def string_upcase(s: Any) -> MString:
    return MString(_s(s, "string-upcase").upper())


@prim("string-downcase")
def string_downcase(s: Any) -> MString:
    return MString(_s(s, "string-downcase").lower())


@prim("string-foldcase")
def string_foldcase(s: Any) -> MString:
    return MString(_s(s, "string-foldcase").casefold())


@prim("string->vector")
def string_to_vector(s: Any, start: Any = 0, end: Any = None) -> list[Any]:
    text = _s(s, "string->vector")
    a, b = _range("string->vector", len(text), start, end)
    return [char(c) for c in text[a:b]]


@prim("vector->string")
def vector_to_string(v: Any, start: Any = 0, end: Any = None) -> MString:
    if type(v) is not list:
        raise error("vector->string: not a vector", v, kind="type")
    a, b = _range("vector->string", len(v), start, end)
    return MString("".join(_ch(c, "vector->string") for c in v[a:b]))


@prim("string-index")
def string_index(s: Any, c: Any) -> Any:
    i = _s(s, "string-index").find(_ch(c, "string-index"))
    return False if i < 0 else i


@prim("string-contains")
def string_contains(s: Any, t: Any) -> Any:
    i = _s(s, "string-contains").find(_s(t, "string-contains"))
    return False if i < 0 else i


@prim("string-join")
def string_join(lst: Any, sep: Any = None) -> MString:
    parts = []
    while type(lst) is Pair:
        parts.append(_s(lst.car, "string-join"))
        lst = lst.cdr
    return MString((" " if sep is None else _s(sep, "string-join")).join(parts))
