"""Vectors (Python lists) and bytevectors (``bytearray``), R7RS 6.8 and 6.9."""

from __future__ import annotations

from typing import Any

from ..values import NIL, UNSPECIFIED, MString, Pair, error, from_list
from .registry import prim
from .strings import _limit


def _v(x: Any, name: str) -> list[Any]:
    if type(x) is not list:
        raise error(f"{name}: not a vector", x, kind="type")
    return x


def _bv(x: Any, name: str) -> bytearray:
    if type(x) is not bytearray:
        raise error(f"{name}: not a bytevector", x, kind="type")
    return x


def _range(name: str, length: int, start: Any, end: Any) -> tuple[int, int]:
    if end is None:
        end = length
    if type(start) is not int or type(end) is not int or not 0 <= start <= end <= length:
        raise error(f"{name}: bad range", start, end, kind="range")
    return start, end


def _byte(x: Any, name: str) -> int:
    if type(x) is not int or not 0 <= x <= 255:
        raise error(f"{name}: not a byte", x, kind="type")
    return x


@prim("vector?")
def vector_p(x: Any) -> bool:
    return type(x) is list


@prim("make-vector")
def make_vector(k: Any, fill: Any = False) -> list[Any]:
    if type(k) is not int or k < 0:
        raise error("make-vector: not a valid length", k, kind="type")
    _limit(k * 8)
    return [fill] * k


@prim("vector")
def vector(*items: Any) -> list[Any]:
    return list(items)


@prim("vector-length")
def vector_length(v: Any) -> int:
    return len(_v(v, "vector-length"))


@prim("vector-ref")
def vector_ref(v: Any, k: Any) -> Any:
    vec = _v(v, "vector-ref")
    if type(k) is not int or not 0 <= k < len(vec):
        raise error("vector-ref: index out of range", k, kind="range")
    return vec[k]


@prim("vector-set!")
def vector_set(v: Any, k: Any, value: Any) -> Any:
    vec = _v(v, "vector-set!")
    if type(k) is not int or not 0 <= k < len(vec):
        raise error("vector-set!: index out of range", k, kind="range")
    vec[k] = value
    return UNSPECIFIED


@prim("vector->list")
def vector_to_list(v: Any, start: Any = 0, end: Any = None) -> Any:
    vec = _v(v, "vector->list")
    a, b = _range("vector->list", len(vec), start, end)
    return from_list(vec[a:b])


@prim("list->vector")
def list_to_vector(lst: Any) -> list[Any]:
    out = []
    while type(lst) is Pair:
        out.append(lst.car)
        lst = lst.cdr
    if lst is not NIL:
        raise error("list->vector: not a proper list", lst, kind="type")
    return out


@prim("vector-fill!")
def vector_fill(v: Any, fill: Any, start: Any = 0, end: Any = None) -> Any:
    vec = _v(v, "vector-fill!")
    a, b = _range("vector-fill!", len(vec), start, end)
    vec[a:b] = [fill] * (b - a)
    return UNSPECIFIED


@prim("vector-copy")
def vector_copy(v: Any, start: Any = 0, end: Any = None) -> list[Any]:
    vec = _v(v, "vector-copy")
    a, b = _range("vector-copy", len(vec), start, end)
    return vec[a:b]


@prim("vector-copy!")
def vector_copy_bang(to: Any, at: Any, source: Any, start: Any = 0, end: Any = None) -> Any:
    target = _v(to, "vector-copy!")
    vec = _v(source, "vector-copy!")
    a, b = _range("vector-copy!", len(vec), start, end)
    if type(at) is not int or not 0 <= at <= len(target) - (b - a):
        raise error("vector-copy!: bad destination index", at, kind="range")
    target[at:at + b - a] = vec[a:b]
    return UNSPECIFIED


@prim("vector-append")
def vector_append(*vectors: Any) -> list[Any]:
    out: list[Any] = []
    for v in vectors:
        out.extend(_v(v, "vector-append"))
    return out


@prim("bytevector?")
def bytevector_p(x: Any) -> bool:
    return type(x) is bytearray


@prim("make-bytevector")
def make_bytevector(k: Any, fill: Any = 0) -> bytearray:
    if type(k) is not int or k < 0:
        raise error("make-bytevector: not a valid length", k, kind="type")
    _limit(k)
    return bytearray([_byte(fill, "make-bytevector")]) * k


@prim("bytevector")
def bytevector(*items: Any) -> bytearray:
    return bytearray(_byte(b, "bytevector") for b in items)


@prim("bytevector-length")
def bytevector_length(b: Any) -> int:
    return len(_bv(b, "bytevector-length"))


@prim("bytevector-u8-ref")
def bytevector_u8_ref(b: Any, k: Any) -> int:
    data = _bv(b, "bytevector-u8-ref")
    if type(k) is not int or not 0 <= k < len(data):
        raise error("bytevector-u8-ref: index out of range", k, kind="range")
    return data[k]


@prim("bytevector-u8-set!")
def bytevector_u8_set(b: Any, k: Any, value: Any) -> Any:
    data = _bv(b, "bytevector-u8-set!")
    if type(k) is not int or not 0 <= k < len(data):
        raise error("bytevector-u8-set!: index out of range", k, kind="range")
    data[k] = _byte(value, "bytevector-u8-set!")
    return UNSPECIFIED


@prim("bytevector-copy")
def bytevector_copy(b: Any, start: Any = 0, end: Any = None) -> bytearray:
    data = _bv(b, "bytevector-copy")
    a, e = _range("bytevector-copy", len(data), start, end)
    return data[a:e]


@prim("bytevector-copy!")
def bytevector_copy_bang(to: Any, at: Any, source: Any, start: Any = 0, end: Any = None) -> Any:
    target = _bv(to, "bytevector-copy!")
    data = _bv(source, "bytevector-copy!")
    a, e = _range("bytevector-copy!", len(data), start, end)
    if type(at) is not int or not 0 <= at <= len(target) - (e - a):
        raise error("bytevector-copy!: bad destination index", at, kind="range")
    target[at:at + e - a] = data[a:e]
    return UNSPECIFIED


@prim("bytevector-append")
def bytevector_append(*items: Any) -> bytearray:
    out = bytearray()
    for b in items:
        out += _bv(b, "bytevector-append")
    return out


@prim("utf8->string")
def utf8_to_string(b: Any, start: Any = 0, end: Any = None) -> MString:
    data = _bv(b, "utf8->string")
    a, e = _range("utf8->string", len(data), start, end)
    try:
        return MString(bytes(data[a:e]).decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise error(f"utf8->string: invalid UTF-8 ({exc.reason})", kind="type") from None


@prim("string->utf8")
def string_to_utf8(s: Any, start: Any = 0, end: Any = None) -> bytearray:
    if type(s) is not MString:
        raise error("string->utf8: not a string", s, kind="type")
    a, e = _range("string->utf8", len(s.s), start, end)
    return bytearray(s.s[a:e].encode("utf-8", "surrogatepass"))
