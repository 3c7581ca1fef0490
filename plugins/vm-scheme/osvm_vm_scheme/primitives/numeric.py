"""Numbers: the procedures of R7RS 6.2 over the tower in :mod:`..numbers`."""

from __future__ import annotations

from fractions import Fraction
from typing import Any

from .. import numbers as N
from ..values import MString, error
from .registry import define, prim


def _fold(name: str, op: Any, unit: int) -> Any:
    def variadic(*args: Any) -> Any:
        if not args:
            return unit
        result = N.check_number(args[0], name)
        for x in args[1:]:
            result = op(result, x)
        return result
    return variadic


def _identity_number(name: str) -> Any:
    def one(x: Any) -> Any:
        return N.check_number(x, name)
    return one


define("+", _fold("+", N.add, 0), 0, None, fixed={2: N.add, 1: _identity_number("+")})
define("*", _fold("*", N.mul, 1), 0, None, fixed={2: N.mul, 1: _identity_number("*")})


def _minus(first: Any, *rest: Any) -> Any:
    if not rest:
        return N.negate(N.check_number(first, "-"))
    result = first
    for x in rest:
        result = N.sub(result, x)
    return result


def _divide(first: Any, *rest: Any) -> Any:
    if not rest:
        return N.div(1, first)
    result = first
    for x in rest:
        result = N.div(result, x)
    return result


define("-", _minus, 1, None, fixed={2: N.sub, 1: N.negate})
define("/", _divide, 1, None, fixed={2: N.div})


def _compare(name: str, op: Any) -> Any:
    def chain(a: Any, b: Any, *rest: Any) -> bool:
        if not op(a, b):
            for x in rest:                     # still check the types of the rest
                N.check_number(x, name)
            return False
        prev = b
        for x in rest:
            if not op(prev, x):
                return False
            prev = x
        return True
    return chain


for _name, _op in (("=", N.num_eq), ("<", N.lt), (">", N.gt), ("<=", N.le), (">=", N.ge)):
    define(_name, _compare(_name, _op), 2, None, fixed={2: _op})


@prim("number?")
def number_p(x: Any) -> bool:
    return type(x) in N.NUMBER_TYPES


@prim("complex?")
def complex_p(x: Any) -> bool:
    return type(x) in N.NUMBER_TYPES


@prim("real?")
def real_p(x: Any) -> bool:
    return N.is_real(x)


@prim("rational?")
def rational_p(x: Any) -> bool:
    return N.is_rational(x)


@prim("integer?")
def integer_p(x: Any) -> bool:
    return N.is_integer(x)


@prim("exact?")
def exact_p(x: Any) -> bool:
    return N.is_exact(x)


@prim("inexact?")
def inexact_p(x: Any) -> bool:
    return not N.is_exact(x)


@prim("exact-integer?")
def exact_integer_p(x: Any) -> bool:
    return type(x) is int


@prim("exact-rational?")
def exact_rational_p(x: Any) -> bool:
    return type(x) is int or type(x) is Fraction


define("finite?", N.is_finite, 1, 1)
define("infinite?", N.is_infinite, 1, 1)
define("nan?", N.is_nan, 1, 1)
define("zero?", N.is_zero, 1, 1)
define("positive?", N.is_positive, 1, 1)
define("negative?", N.is_negative, 1, 1)
define("odd?", N.is_odd, 1, 1)
define("even?", N.is_even, 1, 1)
define("max", N.num_max, 1, None)
define("min", N.num_min, 1, None)
define("abs", N.num_abs, 1, 1)
define("magnitude", N.magnitude, 1, 1)
define("quotient", N.truncate_quotient, 2, 2)
define("remainder", N.truncate_remainder, 2, 2)
define("modulo", N.floor_remainder, 2, 2)
define("truncate-quotient", N.truncate_quotient, 2, 2)
define("truncate-remainder", N.truncate_remainder, 2, 2)
define("floor-quotient", N.floor_quotient, 2, 2)
define("floor-remainder", N.floor_remainder, 2, 2)
define("floor/", N.floor_div, 2, 2)
define("truncate/", N.truncate_div, 2, 2)
define("gcd", N.gcd, 0, None)
define("lcm", N.lcm, 0, None)
define("numerator", N.numerator, 1, 1)
define("denominator", N.denominator, 1, 1)
define("floor", N.num_floor, 1, 1)
define("ceiling", N.num_ceiling, 1, 1)
define("truncate", N.num_truncate, 1, 1)
define("round", N.num_round, 1, 1)
define("rationalize", N.rationalize, 2, 2)
define("exp", N.num_exp, 1, 1)
define("log", N.num_log, 1, 2)
define("sin", N.num_sin, 1, 1)
define("cos", N.num_cos, 1, 1)
define("tan", N.num_tan, 1, 1)
define("asin", N.num_asin, 1, 1)
define("acos", N.num_acos, 1, 1)
define("atan", N.num_atan, 1, 2)
define("square", N.square, 1, 1)
define("sqrt", N.num_sqrt, 1, 1)
define("exact-integer-sqrt", N.exact_integer_sqrt, 1, 1)
define("expt", N.expt, 2, 2)
define("make-rectangular", N.make_rect, 2, 2)
define("make-polar", N.make_polar, 2, 2)
define("real-part", N.real_part, 1, 1)
define("imag-part", N.imag_part, 1, 1)
define("angle", N.angle, 1, 1)
define("exact", N.to_exact, 1, 1)
define("inexact", N.to_inexact, 1, 1)
define("exact->inexact", N.to_inexact, 1, 1)
define("inexact->exact", N.to_exact, 1, 1)


@prim("1+")
def one_plus(x: Any) -> Any:
    return N.add(x, 1)


@prim("-1+")
def minus_one_plus(x: Any) -> Any:
    return N.sub(x, 1)


@prim("number->string")
def number_to_string(z: Any, radix: int = 10) -> MString:
    if type(radix) is not int:
        raise error("number->string: radix must be an integer", radix)
    return MString(N.number_to_string(z, radix))


@prim("string->number")
def string_to_number(s: Any, radix: int = 10) -> Any:
    if type(s) is not MString:
        raise error("string->number: not a string", s)
    if radix not in (2, 8, 10, 16):
        raise error("string->number: radix must be 2, 8, 10 or 16", radix)
    value = N.parse_number(s.s, radix)
    return False if value is None else value
