"""Values across VM boundaries: Scheme values to universal values (lower) and back (lift).

| signature type | Scheme value |
|---|---|
| ``s8`` ... ``u64`` | exact integer |
| ``f32``, ``f64`` | real (sent as a flonum) |
| ``bool`` | ``#t`` / ``#f`` |
| ``string`` | string (a symbol or a character is accepted too) |
| ``bytes`` | bytevector (a string is sent as its UTF-8) |
| ``list<T>`` | list (a vector is accepted) |
| ``tuple<...>`` | vector (a list is accepted) |
| ``option<T>`` | ``#f`` for none, else the value |
| ``handle<kind>`` | a handle object (an exact integer id is accepted) |
| ``any`` | by the value: numbers, booleans, strings, bytevectors, lists, vectors, handles |

A function without a result returns nothing to Scheme (the unspecified value).
"""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from osvm_core.names.signature import Handle, HandleOf, ListOf, OptionOf, Prim, TupleOf

from .values import NIL, UNSPECIFIED, Char, MString, Pair, Symbol, error, from_list

_INTS = frozenset(("s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64"))


def _items(v: Any, what: str) -> list[Any]:
    if type(v) is list:
        return v
    out = []
    x = v
    while type(x) is Pair:
        out.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise error(f"{what}: expected a list", v, kind="type")
    return out


def lower(t: Any, v: Any, what: str) -> Any:
    tt = type(t)
    if tt is Prim:
        name = t.name
        if name in _INTS:
            if type(v) is not int:
                raise error(f"{what}: expected an exact integer ({name})", v, kind="type")
            return v
        if name in ("f32", "f64"):
            if type(v) in (int, float, Fraction):
                return float(v)
            raise error(f"{what}: expected a real number ({name})", v, kind="type")
        if name == "bool":
            if v is True or v is False:
                return v
            raise error(f"{what}: expected a boolean", v, kind="type")
        if name == "string":
            if type(v) is MString:
                return v.s
            if type(v) is Symbol:
                return v.name
            if type(v) is Char:
                return v.ch
            raise error(f"{what}: expected a string", v, kind="type")
        if name == "bytes":
            if type(v) is bytearray:
                return bytes(v)
            if type(v) is MString:
                return v.s.encode("utf-8")
            raise error(f"{what}: expected a bytevector", v, kind="type")
        return lower_any(v, what)
    if tt is ListOf:
        return [lower(t.elem, x, what) for x in _items(v, what)]
    if tt is TupleOf:
        items = _items(v, what)
        if len(items) != len(t.elems):
            raise error(f"{what}: expected {len(t.elems)} elements", v, kind="type")
        return tuple(lower(e, x, what) for e, x in zip(t.elems, items, strict=True))
    if tt is OptionOf:
        return None if v is False else lower(t.elem, v, what)
    if tt is HandleOf:
        if type(v) is Handle:
            return v
        if type(v) is int:
            return Handle(t.kind, v)
        raise error(f"{what}: expected a handle<{t.kind}>", v, kind="type")
    raise error(f"{what}: unsupported type {t}", kind="type")


def lower_any(v: Any, what: str = "value") -> Any:
    t = type(v)
    if t is int or t is float or v is True or v is False or t is Handle:
        return v
    if t is Fraction:
        return float(v)
    if t is MString:
        return v.s
    if t is Symbol:
        return v.name
    if t is Char:
        return v.ch
    if t is bytearray:
        return bytes(v)
    if t is Pair or v is NIL:
        return [lower_any(x, what) for x in _items(v, what)]
    if t is list:
        return tuple(lower_any(x, what) for x in v)
    if v is UNSPECIFIED:
        return None
    raise error(f"{what}: this value cannot leave the Scheme VM", v, kind="type")


def lift(v: Any) -> Any:
    t = type(v)
    if t is int or t is float or t is bool or t is Handle:
        return v
    if t is str:
        return MString(v)
    if t is bytes or t is bytearray or t is memoryview:
        return bytearray(v)
    if t is list:
        return from_list([lift(x) for x in v])
    if t is tuple:
        return [lift(x) for x in v]
    if v is None:
        return False
    return v


def lift_result(signature: Any, v: Any) -> Any:
    if signature is None or signature.result is None:
        return UNSPECIFIED
    return lift(v)
