"""eq?, eqv?, equal? (``equal?`` works on cyclic data and without Python recursion)."""

from __future__ import annotations

import math
from fractions import Fraction
from typing import Any

from ..numbers import Complex
from ..values import Char, MString, Pair
from .registry import prim


def eqv(a: Any, b: Any) -> bool:
    if a is b:
        return True
    t = type(a)
    if t is not type(b):
        return False
    if t is int or t is Fraction:
        return a == b
    if t is float:
        if a == b:
            return math.copysign(1.0, a) == math.copysign(1.0, b)
        return a != a and b != b
    if t is Char:
        return a.ch == b.ch
    if t is Complex:
        return eqv(a.re, b.re) and eqv(a.im, b.im)
    return False


def eq(a: Any, b: Any) -> bool:
    if a is b:
        return True
    t = type(a)
    if t is int and type(b) is int:
        return a == b
    if t is Char and type(b) is Char:
        return a.ch == b.ch
    return False


def equal(a: Any, b: Any) -> bool:
    stack = [(a, b)]
    seen: set[tuple[int, int]] = set()
    while stack:
        x, y = stack.pop()
        if x is y:
            continue
        t = type(x)
        if t is not type(y):
            return False
        if t is Pair:
            key = (id(x), id(y))
            if key in seen:
                continue
            seen.add(key)
            stack.append((x.cdr, y.cdr))
            stack.append((x.car, y.car))
        elif t is MString:
            if x.s != y.s:
                return False
        elif t is list:
            if len(x) != len(y):
                return False
            key = (id(x), id(y))
            if key in seen:
                continue
            seen.add(key)
            stack.extend(zip(reversed(x), reversed(y), strict=True))
        elif t is bytearray:
            if x != y:
                return False
        elif not eqv(x, y):
            return False
    return True


prim("eqv?")(eqv)
prim("eq?")(eq)
prim("equal?")(equal)
