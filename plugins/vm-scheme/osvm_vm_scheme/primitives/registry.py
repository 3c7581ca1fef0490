"""Where primitives are registered: ``@prim`` for pure procedures, ``@control`` for the ones
that drive the machine (call/cc, apply, dynamic-wind, port reads that may wait, ...).

Arity comes from the Python signature. ``INLINE`` holds Python expression templates the
compiler uses instead of a call for the hottest pure primitives.
"""

from __future__ import annotations

import inspect
import itertools
from collections.abc import Callable
from typing import Any

from ..machine import Control, Primitive

PRIMITIVES: dict[str, Any] = {}
#: code object of a primitive's function -> its Scheme name (for error messages)
PRIMITIVE_CODES: dict[Any, str] = {}
#: (name, number of arguments) -> function(argument codes) -> Python expression
INLINE: dict[tuple[str, int], Callable[..., str]] = {}


def _arity(fn: Callable[..., Any], skip: int = 0) -> tuple[int, int | None]:
    params = list(inspect.signature(fn).parameters.values())[skip:]
    low = sum(1 for p in params if p.default is inspect.Parameter.empty
              and p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))
    if any(p.kind is p.VAR_POSITIONAL for p in params):
        return low, None
    return low, sum(1 for p in params if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD))


def prim(name: str, *, pure: bool = True, fixed: dict[int, Any] | None = None) -> Callable[[Any], Any]:
    def register(fn: Any) -> Any:
        low, high = _arity(fn)
        PRIMITIVES[name] = Primitive(fn, name, low, high, pure, fixed)
        PRIMITIVE_CODES[fn.__code__] = name
        for special in (fixed or {}).values():
            if hasattr(special, "__code__"):
                PRIMITIVE_CODES.setdefault(special.__code__, name)
        return fn
    return register


def alias(name: str, existing: str) -> None:
    PRIMITIVES[name] = PRIMITIVES[existing]


def define(name: str, fn: Any, low: int, high: int | None, *, pure: bool = True,
           fixed: dict[int, Any] | None = None) -> None:
    PRIMITIVES[name] = Primitive(fn, name, low, high, pure, fixed)
    if hasattr(fn, "__code__"):
        PRIMITIVE_CODES.setdefault(fn.__code__, name)


def control(name: str) -> Callable[[Any], Any]:
    """``fn(m, *args)`` becomes a Control procedure (the machine passes the args as a list)."""
    def register(fn: Any) -> Any:
        low, high = _arity(fn, skip=1)

        def apply(m: Any, args: list[Any]) -> None:
            fn(m, *args)
        PRIMITIVES[name] = Control(apply, name, low, high)
        PRIMITIVE_CODES[fn.__code__] = name
        return fn
    return register


def lookup_primitive(name: str) -> Primitive:
    p = PRIMITIVES[name]
    return p


def lookup_control(name: str) -> Control:
    return PRIMITIVES[name]


# ---------------------------------------------------------------- inline templates

_temps = itertools.count()


def _t() -> str:
    return f"_i{next(_temps)}"


def _is_int_literal(code: str) -> bool:
    text = code.strip("()")
    return text.lstrip("-").isdigit()


def _arith(op: str, helper: str) -> Callable[[str, str], str]:
    def template(a: str, b: str) -> str:
        if _is_int_literal(b):
            t = _t()
            return f"({t} {op} {b} if type({t} := {a}) is int else {helper}({t}, {b}))"
        if _is_int_literal(a):
            t = _t()
            return f"({a} {op} {t} if type({t} := {b}) is int else {helper}({a}, {t}))"
        t1, t2 = _t(), _t()
        return (f"({t1} {op} {t2} if (type({t1} := {a}) is int) & (type({t2} := {b}) is int) "
                f"else {helper}({t1}, {t2}))")
    return template


for _name, _op, _helper in (("+", "+", "_add"), ("-", "-", "_sub"), ("*", "*", "_mul"), ("<", "<", "_lt"),
                            (">", ">", "_gt"), ("<=", "<=", "_le"), (">=", ">=", "_ge"), ("=", "==", "_numeq")):
    INLINE[(_name, 2)] = _arith(_op, _helper)

INLINE[("not", 1)] = lambda a: f"({a} is False)"
INLINE[("null?", 1)] = lambda a: f"({a} is _NIL)"
INLINE[("pair?", 1)] = lambda a: f"(type({a}) is _Pair)"
