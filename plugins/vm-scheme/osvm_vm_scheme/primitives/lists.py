"""Pairs and lists, symbols, booleans and the type predicates of R7RS 6.1-6.5."""

from __future__ import annotations

from typing import Any

from ..machine import Procedure
from ..values import (
    NIL,
    UNSPECIFIED,
    MString,
    Pair,
    Symbol,
    error,
    from_list,
    is_list,
    sym,
)
from .equality import eq, equal, eqv
from .registry import define, prim


def _not_pair(name: str, x: Any) -> Exception:
    return error(f"{name}: not a pair", x, kind="type")


@prim("cons")
def cons(a: Any, b: Any) -> Pair:
    return Pair(a, b)


@prim("car")
def car(p: Any) -> Any:
    try:
        return p.car
    except AttributeError:
        raise _not_pair("car", p) from None


@prim("cdr")
def cdr(p: Any) -> Any:
    try:
        return p.cdr
    except AttributeError:
        raise _not_pair("cdr", p) from None


@prim("set-car!")
def set_car(p: Any, v: Any) -> Any:
    if type(p) is not Pair:
        raise _not_pair("set-car!", p)
    p.car = v
    return UNSPECIFIED


@prim("set-cdr!")
def set_cdr(p: Any, v: Any) -> Any:
    if type(p) is not Pair:
        raise _not_pair("set-cdr!", p)
    p.cdr = v
    return UNSPECIFIED


def _cxr(path: str) -> Any:
    name = f"c{path}r"
    steps = tuple(reversed(path))

    def cxr(x: Any) -> Any:
        original = x
        for step in steps:
            if type(x) is not Pair:
                raise error(f"{name}: not a pair of the right shape", original, kind="type")
            x = x.car if step == "a" else x.cdr
        return x
    cxr.__name__ = name
    return cxr


for _n in (2, 3, 4):
    for _i in range(2 ** _n):
        _path = "".join("a" if (_i >> b) & 1 else "d" for b in range(_n))
        define(f"c{_path}r", _cxr(_path), 1, 1)


@prim("null?")
def null_p(x: Any) -> bool:
    return x is NIL


@prim("pair?")
def pair_p(x: Any) -> bool:
    return type(x) is Pair


@prim("list?")
def list_p(x: Any) -> bool:
    return is_list(x)


@prim("make-list")
def make_list(k: Any, fill: Any = False) -> Any:
    if type(k) is not int or k < 0:
        raise error("make-list: not a valid length", k)
    result = NIL
    for _ in range(k):
        result = Pair(fill, result)
    return result


@prim("list", fixed={1: lambda a: Pair(a, NIL), 2: lambda a, b: Pair(a, Pair(b, NIL))})
def list_(*items: Any) -> Any:
    return from_list(items)


@prim("cons*")
def cons_star(first: Any, *rest: Any) -> Any:
    if not rest:
        return first
    return from_list((first,) + rest[:-1], rest[-1])


def length_of(x: Any, name: str = "length") -> int:
    n = 0
    slow = x
    while type(x) is Pair:
        x = x.cdr
        n += 1
        if type(x) is not Pair:
            break
        x = x.cdr
        n += 1
        slow = slow.cdr
        if x is slow:
            raise error(f"{name}: circular list", kind="type")
    if x is not NIL:
        raise error(f"{name}: not a proper list", x, kind="type")
    return n


@prim("length")
def length(x: Any) -> int:
    return length_of(x)


def _append2(a: Any, b: Any) -> Any:
    if a is NIL:
        return b
    items = []
    x = a
    while type(x) is Pair:
        items.append(x.car)
        x = x.cdr
    if x is not NIL:
        raise error("append: not a proper list", a, kind="type")
    return from_list(items, b)


@prim("append", fixed={2: _append2})
def append(*lists: Any) -> Any:
    if not lists:
        return NIL
    result = lists[-1]
    for lst in reversed(lists[:-1]):
        result = _append2(lst, result)
    return result


@prim("reverse")
def reverse(x: Any) -> Any:
    result = NIL
    original = x
    while type(x) is Pair:
        result = Pair(x.car, result)
        x = x.cdr
    if x is not NIL:
        raise error("reverse: not a proper list", original, kind="type")
    return result


@prim("reverse!")
def reverse_bang(x: Any) -> Any:
    return reverse(x)


def _index(k: Any, name: str) -> int:
    if type(k) is not int or k < 0:
        raise error(f"{name}: not a valid index", k, kind="type")
    return k


@prim("list-tail")
def list_tail(x: Any, k: Any) -> Any:
    for _ in range(_index(k, "list-tail")):
        if type(x) is not Pair:
            raise error("list-tail: list too short", k, kind="type")
        x = x.cdr
    return x


@prim("list-ref")
def list_ref(x: Any, k: Any) -> Any:
    p = list_tail(x, k)
    if type(p) is not Pair:
        raise error("list-ref: index out of range", k, kind="type")
    return p.car


@prim("list-set!")
def list_set(x: Any, k: Any, v: Any) -> Any:
    p = list_tail(x, k)
    if type(p) is not Pair:
        raise error("list-set!: index out of range", k, kind="type")
    p.car = v
    return UNSPECIFIED


@prim("last-pair")
def last_pair(x: Any) -> Any:
    if type(x) is not Pair:
        raise _not_pair("last-pair", x)
    while type(x.cdr) is Pair:
        x = x.cdr
    return x


def _mem(name: str, same: Any) -> Any:
    def member(x: Any, lst: Any) -> Any:
        while type(lst) is Pair:
            if same(x, lst.car):
                return lst
            lst = lst.cdr
        return False
    member.__name__ = name
    return member


def _ass(name: str, same: Any) -> Any:
    def assoc(x: Any, lst: Any) -> Any:
        while type(lst) is Pair:
            entry = lst.car
            if type(entry) is not Pair:
                raise error(f"{name}: not an association list entry", entry, kind="type")
            if same(x, entry.car):
                return entry
            lst = lst.cdr
        return False
    assoc.__name__ = name
    return assoc


define("memq", _mem("memq", eq), 2, 2)
define("memv", _mem("memv", eqv), 2, 2)
define("%member", _mem("member", equal), 2, 2)
define("assq", _ass("assq", eq), 2, 2)
define("assv", _ass("assv", eqv), 2, 2)
define("%assoc", _ass("assoc", equal), 2, 2)


@prim("list-copy")
def list_copy(x: Any) -> Any:
    if type(x) is not Pair:
        return x
    items = []
    while type(x) is Pair:
        items.append(x.car)
        x = x.cdr
    return from_list(items, x)


# ---------------------------------------------------------------- symbols and booleans


@prim("symbol?")
def symbol_p(x: Any) -> bool:
    return type(x) is Symbol


@prim("symbol=?")
def symbol_eq(a: Any, b: Any, *rest: Any) -> bool:
    for x in (a, b, *rest):
        if type(x) is not Symbol:
            raise error("symbol=?: not a symbol", x, kind="type")
    return a is b and all(x is a for x in rest)


@prim("symbol->string")
def symbol_to_string(s: Any) -> MString:
    if type(s) is not Symbol:
        raise error("symbol->string: not a symbol", s, kind="type")
    return MString(s.name)


@prim("string->symbol")
def string_to_symbol(s: Any) -> Symbol:
    if type(s) is not MString:
        raise error("string->symbol: not a string", s, kind="type")
    return sym(s.s)


_gensyms = [0]


@prim("gensym")
def gensym(prefix: Any = None) -> Symbol:
    _gensyms[0] += 1
    base = prefix.s if type(prefix) is MString else (prefix.name if type(prefix) is Symbol else "g")
    return Symbol(f"{base}{_gensyms[0]}")


@prim("boolean?")
def boolean_p(x: Any) -> bool:
    return x is True or x is False


@prim("not")
def not_(x: Any) -> bool:
    return x is False


@prim("boolean=?")
def boolean_eq(a: Any, b: Any, *rest: Any) -> bool:
    for x in (a, b, *rest):
        if x is not True and x is not False:
            raise error("boolean=?: not a boolean", x, kind="type")
    return a is b and all(x is a for x in rest)


@prim("procedure?")
def procedure_p(x: Any) -> bool:
    return isinstance(x, Procedure)
