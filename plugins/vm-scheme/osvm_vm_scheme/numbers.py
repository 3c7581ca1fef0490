"""The numeric tower: exact integers (``int``), exact rationals (``Fraction``), flonums
(``float``) and complex numbers (:class:`Complex`, whose parts are any reals).

Results are normalised: a rational with denominator 1 becomes an ``int``, a complex with
an exact zero imaginary part becomes its real part. Two-argument operations keep a fast
path for two ``int``s; everything else goes through the general path, which also refuses
non-numbers (``bool`` is not a number here, although Python thinks so).

Also here: reading numbers (:func:`parse_number`) and writing them (:func:`number_to_string`).
"""

from __future__ import annotations

import cmath
import math
import re
from fractions import Fraction
from typing import Any

from .values import Values, error


class Complex:
    """A non-real complex number; ``re`` and ``im`` are reals (``im`` is never an exact 0)."""

    __slots__ = ("re", "im")

    def __init__(self, re_: Any, im: Any) -> None:
        self.re = re_
        self.im = im

    def __repr__(self) -> str:
        return number_to_string(self)

    def to_python(self) -> complex:
        return complex(_flo(self.re), _flo(self.im))


REAL_TYPES = (int, Fraction, float)
_REAL = frozenset(REAL_TYPES)
_EXACT = frozenset((int, Fraction))
NUMBER_TYPES = frozenset((int, Fraction, float, Complex))


def is_number(x: Any) -> bool:
    return type(x) in NUMBER_TYPES


def is_real(x: Any) -> bool:
    return type(x) in _REAL


def is_exact(x: Any) -> bool:
    t = type(x)
    if t in _EXACT:
        return True
    if t is float:
        return False
    if t is Complex:
        return type(x.re) in _EXACT and type(x.im) in _EXACT
    raise error("exact?: not a number", x)


def is_exact_integer(x: Any) -> bool:
    return type(x) is int


def is_integer(x: Any) -> bool:
    t = type(x)
    if t is int:
        return True
    if t is float:
        return math.isfinite(x) and x.is_integer()
    return False


def is_rational(x: Any) -> bool:
    t = type(x)
    if t is int or t is Fraction:
        return True
    if t is float:
        return math.isfinite(x)
    return False


def _norm(r: Any) -> Any:
    if type(r) is Fraction and r.denominator == 1:
        return r.numerator
    return r


def _flo(x: Any) -> float:
    """A real as a float; huge exact numbers become infinities rather than failing."""
    try:
        return float(x)
    except OverflowError:
        return math.inf if x > 0 else -math.inf


def make_rect(re_: Any, im: Any) -> Any:
    if type(im) is int and im == 0:
        return re_
    return Complex(re_, im)


def _parts(x: Any, name: str) -> tuple[Any, Any]:
    t = type(x)
    if t in _REAL:
        return x, 0
    if t is Complex:
        return x.re, x.im
    raise error(f"{name}: not a number", x)


def _from_python_complex(z: complex) -> Any:
    return Complex(z.real, z.imag)


def check_number(x: Any, name: str) -> Any:
    if type(x) not in NUMBER_TYPES:
        raise error(f"{name}: not a number", x)
    return x


def check_real(x: Any, name: str) -> Any:
    if type(x) not in _REAL:
        raise error(f"{name}: not a real number", x)
    return x


def check_integer(x: Any, name: str) -> Any:
    if type(x) is int:
        return x
    if type(x) is float and x.is_integer():
        return x
    raise error(f"{name}: not an integer", x)


# ---------------------------------------------------------------- arithmetic


def add(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a + b
    ta, tb = type(a), type(b)
    if ta in _REAL and tb in _REAL:
        try:
            return _norm(a + b)
        except OverflowError:
            return _flo(a) + _flo(b)
    ar, ai = _parts(a, "+")
    br, bi = _parts(b, "+")
    return make_rect(add(ar, br), add(ai, bi))


def sub(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a - b
    ta, tb = type(a), type(b)
    if ta in _REAL and tb in _REAL:
        try:
            return _norm(a - b)
        except OverflowError:
            return _flo(a) - _flo(b)
    ar, ai = _parts(a, "-")
    br, bi = _parts(b, "-")
    return make_rect(sub(ar, br), sub(ai, bi))


def mul(a: Any, b: Any) -> Any:
    if type(a) is int and type(b) is int:
        return a * b
    ta, tb = type(a), type(b)
    if ta in _REAL and tb in _REAL:
        try:
            return _norm(a * b)
        except OverflowError:
            return _flo(a) * _flo(b)
    ar, ai = _parts(a, "*")
    br, bi = _parts(b, "*")
    return make_rect(sub(mul(ar, br), mul(ai, bi)), add(mul(ar, bi), mul(ai, br)))


def div(a: Any, b: Any) -> Any:
    ta, tb = type(a), type(b)
    if ta is int and tb is int:
        if b == 0:
            raise error("/: division by zero", a)
        if a % b == 0:
            return a // b
        return Fraction(a, b)
    if ta in _REAL and tb in _REAL:
        if ta is float or tb is float:
            try:
                return _flo(a) / _flo(b)
            except ZeroDivisionError:
                a = _flo(a)
                if a != a or a == 0:
                    return math.nan
                return math.copysign(math.inf, a) * math.copysign(1.0, b)
        if b == 0:
            raise error("/: division by zero", a)
        return _norm(Fraction(a) / b)
    ar, ai = _parts(a, "/")
    br, bi = _parts(b, "/")
    denom = add(mul(br, br), mul(bi, bi))
    return make_rect(div(add(mul(ar, br), mul(ai, bi)), denom), div(sub(mul(ai, br), mul(ar, bi)), denom))


def negate(a: Any) -> Any:
    if type(a) is int:
        return -a
    return sub(0, a)


def num_eq(a: Any, b: Any) -> bool:
    if type(a) is int and type(b) is int:
        return a == b
    ta, tb = type(a), type(b)
    if ta in _REAL and tb in _REAL:
        return a == b
    ar, ai = _parts(a, "=")
    br, bi = _parts(b, "=")
    return ar == br and ai == bi


def _cmp_check(a: Any, b: Any, name: str) -> None:
    if type(a) not in _REAL:
        raise error(f"{name}: not a real number", a)
    if type(b) not in _REAL:
        raise error(f"{name}: not a real number", b)


def lt(a: Any, b: Any) -> bool:
    if type(a) is int and type(b) is int:
        return a < b
    _cmp_check(a, b, "<")
    return a < b


def gt(a: Any, b: Any) -> bool:
    if type(a) is int and type(b) is int:
        return a > b
    _cmp_check(a, b, ">")
    return a > b


def le(a: Any, b: Any) -> bool:
    if type(a) is int and type(b) is int:
        return a <= b
    _cmp_check(a, b, "<=")
    return a <= b


def ge(a: Any, b: Any) -> bool:
    if type(a) is int and type(b) is int:
        return a >= b
    _cmp_check(a, b, ">=")
    return a >= b


def is_zero(x: Any) -> bool:
    t = type(x)
    if t in _REAL:
        return x == 0
    if t is Complex:
        return x.re == 0 and x.im == 0
    raise error("zero?: not a number", x)


def is_positive(x: Any) -> bool:
    return check_real(x, "positive?") > 0


def is_negative(x: Any) -> bool:
    return check_real(x, "negative?") < 0


def is_odd(x: Any) -> bool:
    return check_integer(x, "odd?") % 2 == 1


def is_even(x: Any) -> bool:
    return check_integer(x, "even?") % 2 == 0


def is_finite(x: Any) -> bool:
    t = type(x)
    if t is float:
        return math.isfinite(x)
    if t is Complex:
        return is_finite(x.re) and is_finite(x.im)
    check_number(x, "finite?")
    return True


def is_infinite(x: Any) -> bool:
    t = type(x)
    if t is float:
        return math.isinf(x)
    if t is Complex:
        return is_infinite(x.re) or is_infinite(x.im)
    check_number(x, "infinite?")
    return False


def is_nan(x: Any) -> bool:
    t = type(x)
    if t is float:
        return x != x
    if t is Complex:
        return is_nan(x.re) or is_nan(x.im)
    check_number(x, "nan?")
    return False


def num_abs(x: Any) -> Any:
    if type(x) is int:
        return -x if x < 0 else x
    check_real(x, "abs")
    return abs(x)


def num_max(first: Any, *rest: Any) -> Any:
    result = check_real(first, "max")
    inexact = type(first) is float
    for x in rest:
        check_real(x, "max")
        inexact = inexact or type(x) is float
        if x > result or x != x:
            result = x
    return _flo(result) if inexact else result


def num_min(first: Any, *rest: Any) -> Any:
    result = check_real(first, "min")
    inexact = type(first) is float
    for x in rest:
        check_real(x, "min")
        inexact = inexact or type(x) is float
        if x < result or x != x:
            result = x
    return _flo(result) if inexact else result


# ---------------------------------------------------------------- integer division


def _int_pair(a: Any, b: Any, name: str) -> bool:
    """Check two integers; True when both are exact."""
    check_integer(a, name)
    check_integer(b, name)
    if b == 0:
        raise error(f"{name}: division by zero", a)
    return type(a) is int and type(b) is int


def truncate_quotient(a: Any, b: Any) -> Any:
    if _int_pair(a, b, "truncate-quotient"):
        q = abs(a) // abs(b)
        return q if (a < 0) == (b < 0) else -q
    return float(math.trunc(a / b))


def truncate_remainder(a: Any, b: Any) -> Any:
    if _int_pair(a, b, "truncate-remainder"):
        return a - b * truncate_quotient(a, b)
    return math.fmod(a, b)


def floor_quotient(a: Any, b: Any) -> Any:
    if _int_pair(a, b, "floor-quotient"):
        return a // b
    return float(math.floor(a / b))


def floor_remainder(a: Any, b: Any) -> Any:
    if _int_pair(a, b, "floor-remainder"):
        return a % b
    return float(a) % float(b)


def floor_div(a: Any, b: Any) -> Values:
    return Values((floor_quotient(a, b), floor_remainder(a, b)))


def truncate_div(a: Any, b: Any) -> Values:
    return Values((truncate_quotient(a, b), truncate_remainder(a, b)))


def gcd(*args: Any) -> Any:
    result = 0
    inexact = False
    for x in args:
        check_integer(x, "gcd")
        inexact = inexact or type(x) is float
        result = math.gcd(result, int(x))
    return float(result) if inexact else result


def lcm(*args: Any) -> Any:
    result = 1
    inexact = False
    for x in args:
        check_integer(x, "lcm")
        inexact = inexact or type(x) is float
        n = abs(int(x))
        if n == 0:
            result = 0
        elif result:
            result = result * n // math.gcd(result, n)
    return float(result) if inexact else result


def exact_integer_sqrt(n: Any) -> Values:
    if type(n) is not int or n < 0:
        raise error("exact-integer-sqrt: not an exact non-negative integer", n)
    s = math.isqrt(n)
    return Values((s, n - s * s))


# ---------------------------------------------------------------- rounding and parts


def _round_real(x: Any, how: str) -> Any:
    t = type(x)
    if t is int:
        return x
    if t is float:
        if not math.isfinite(x):
            return x
        if how == "floor":
            return float(math.floor(x))
        if how == "ceiling":
            return float(math.ceil(x))
        if how == "truncate":
            return float(math.trunc(x))
        return float(round(x))
    if t is Fraction:
        if how == "floor":
            return math.floor(x)
        if how == "ceiling":
            return math.ceil(x)
        if how == "truncate":
            return math.trunc(x)
        return round(x)
    raise error(f"{how}: not a real number", x)


def num_floor(x: Any) -> Any:
    return _round_real(x, "floor")


def num_ceiling(x: Any) -> Any:
    return _round_real(x, "ceiling")


def num_truncate(x: Any) -> Any:
    return _round_real(x, "truncate")


def num_round(x: Any) -> Any:
    return _round_real(x, "round")


def numerator(x: Any) -> Any:
    t = type(x)
    if t is int:
        return x
    if t is Fraction:
        return x.numerator
    if t is float:
        return float(Fraction(x).numerator)
    raise error("numerator: not a rational number", x)


def denominator(x: Any) -> Any:
    t = type(x)
    if t is int:
        return 1
    if t is Fraction:
        return x.denominator
    if t is float:
        return float(Fraction(x).denominator)
    raise error("denominator: not a rational number", x)


def to_exact(x: Any) -> Any:
    t = type(x)
    if t is int or t is Fraction:
        return x
    if t is float:
        if not math.isfinite(x):
            raise error("exact: no exact representation", x)
        return _norm(Fraction(x))
    if t is Complex:
        return make_rect(to_exact(x.re), to_exact(x.im))
    raise error("exact: not a number", x)


def to_inexact(x: Any) -> Any:
    t = type(x)
    if t is float:
        return x
    if t is int or t is Fraction:
        return _flo(x)
    if t is Complex:
        return Complex(_flo(x.re), _flo(x.im))
    raise error("inexact: not a number", x)


def _simplest(lo: Fraction, hi: Fraction) -> Fraction:
    """The simplest rational in [lo, hi] (lo <= hi)."""
    if lo <= 0 <= hi:
        return Fraction(0)
    if hi < 0:
        return -_simplest(-hi, -lo)
    whole = math.floor(lo)
    if whole == lo:
        return Fraction(whole)
    if whole < math.floor(hi):
        return Fraction(whole + 1)
    return whole + 1 / _simplest(1 / (hi - whole), 1 / (lo - whole))


def rationalize(x: Any, y: Any) -> Any:
    check_real(x, "rationalize")
    check_real(y, "rationalize")
    inexact = type(x) is float or type(y) is float
    if inexact and (not math.isfinite(x) or not math.isfinite(y)):
        if math.isinf(y) and math.isfinite(x):
            return 0.0
        return math.nan if (x != x or y != y) else x
    fx, fy = Fraction(x), abs(Fraction(y))
    r = _simplest(fx - fy, fx + fy)
    return float(r) if inexact else _norm(r)


# ---------------------------------------------------------------- transcendental


def _to_real_result(z: complex) -> Any:
    if z.imag == 0:
        return z.real
    return _from_python_complex(z)


def num_exp(x: Any) -> Any:
    if type(x) is Complex:
        return _from_python_complex(cmath.exp(x.to_python()))
    check_real(x, "exp")
    try:
        return math.exp(x)
    except OverflowError:
        return math.inf


def num_log(x: Any, base: Any = None) -> Any:
    if base is not None:
        return div(num_log(x), num_log(base))
    if type(x) is Complex:
        return _from_python_complex(cmath.log(x.to_python()))
    check_real(x, "log")
    if x == 0:
        if type(x) is not float:
            raise error("log: log of exact zero")
        return -math.inf
    if x < 0:
        return _from_python_complex(cmath.log(_flo(x)))
    if type(x) is int:
        return math.log(x)      # exact for huge ints too
    return math.log(_flo(x))


def _unary_real(name: str, real_fn: Any, complex_fn: Any) -> Any:
    def apply(x: Any) -> Any:
        if type(x) is Complex:
            return _to_real_result(complex_fn(x.to_python()))
        check_real(x, name)
        try:
            return real_fn(_flo(x))
        except ValueError:
            return _to_real_result(complex_fn(complex(_flo(x))))
    apply.__name__ = name
    return apply


num_sin = _unary_real("sin", math.sin, cmath.sin)
num_cos = _unary_real("cos", math.cos, cmath.cos)
num_tan = _unary_real("tan", math.tan, cmath.tan)
num_asin = _unary_real("asin", math.asin, cmath.asin)
num_acos = _unary_real("acos", math.acos, cmath.acos)


def num_atan(y: Any, x: Any = None) -> Any:
    if x is None:
        if type(y) is Complex:
            return _to_real_result(cmath.atan(y.to_python()))
        return math.atan(_flo(check_real(y, "atan")))
    check_real(y, "atan")
    check_real(x, "atan")
    if type(x) is not float and type(y) is not float and x == 0 and y == 0:
        raise error("atan: undefined for 0 and 0")
    return math.atan2(_flo(y), _flo(x))


def _exact_root(x: Any) -> Any:
    """The exact square root of a non-negative exact number, or None."""
    if type(x) is int:
        r = math.isqrt(x)
        return r if r * r == x else None
    n, d = x.numerator, x.denominator
    rn, rd = math.isqrt(n), math.isqrt(d)
    if rn * rn == n and rd * rd == d:
        return Fraction(rn, rd)
    return None


def num_sqrt(x: Any) -> Any:
    t = type(x)
    if t is int or t is Fraction:
        if x >= 0:
            root = _exact_root(x)
            if root is not None:
                return root
            try:
                return math.sqrt(x)
            except OverflowError:
                return float(math.isqrt(int(x)))
        root = _exact_root(-x)
        if root is not None:
            return make_rect(0, root)
        return Complex(0.0, math.sqrt(-x))
    if t is float:
        if x >= 0 or x != x:
            return math.sqrt(x)
        return Complex(0.0, math.sqrt(-x))
    if t is Complex:
        if x.im == 0:
            return num_sqrt(to_inexact(x.re))
        return _from_python_complex(cmath.sqrt(x.to_python()))
    raise error("sqrt: not a number", x)


def square(x: Any) -> Any:
    return mul(x, x)


def expt(a: Any, b: Any) -> Any:
    check_number(a, "expt")
    check_number(b, "expt")
    ta, tb = type(a), type(b)
    if tb is int:
        if ta is int or ta is Fraction:
            if b >= 0:
                return _norm(Fraction(a) ** b) if ta is Fraction else a ** b
            if a == 0:
                raise error("expt: zero to a negative power", a, b)
            return _norm(Fraction(a) ** b)
        if ta is float:
            try:
                return a ** b
            except ZeroDivisionError:
                return math.inf
            except OverflowError:
                return math.inf if a > 0 or b % 2 == 0 else -math.inf
        result: Any = 1
        base, n = a, abs(b)
        while n:
            if n & 1:
                result = mul(result, base)
            base = mul(base, base)
            n >>= 1
        return div(1, result) if b < 0 else result
    if ta in _REAL and tb in _REAL:
        if a == 0:
            if b > 0:
                return 0.0 if (ta is float or tb is float) else 0
            if b == 0:
                return 1.0
        fa, fb = _flo(a), _flo(b)
        if fa < 0:
            return _to_real_result(cmath.exp(fb * cmath.log(fa)))
        try:
            return fa ** fb
        except OverflowError:
            return math.inf
    if is_zero(a):
        return 0 if is_exact(a) and is_exact(b) else 0.0
    za = a.to_python() if ta is Complex else complex(_flo(a))
    zb = b.to_python() if tb is Complex else complex(_flo(b))
    return _to_real_result(cmath.exp(zb * cmath.log(za)))


def make_polar(m: Any, angle: Any) -> Any:
    check_real(m, "make-polar")
    check_real(angle, "make-polar")
    z = cmath.rect(_flo(m), _flo(angle))
    return make_rect(z.real, z.imag)


def real_part(z: Any) -> Any:
    return _parts(z, "real-part")[0]


def imag_part(z: Any) -> Any:
    return _parts(z, "imag-part")[1]


def magnitude(z: Any) -> Any:
    if type(z) is Complex:
        return abs(z.to_python())
    return num_abs(z)


def angle(z: Any) -> Any:
    if type(z) is Complex:
        return cmath.phase(z.to_python())
    check_real(z, "angle")
    if z < 0:
        return math.pi
    return 0 if type(z) is not float else 0.0


# ---------------------------------------------------------------- writing numbers

_DIGITS = "0123456789abcdefghijklmnopqrstuvwxyz"


def _int_to_string(n: int, radix: int) -> str:
    if radix == 10:
        return str(n)
    if radix == 16:
        return format(n, "x")
    if radix == 8:
        return format(n, "o")
    if radix == 2:
        return format(n, "b")
    if n == 0:
        return "0"
    sign = "-" if n < 0 else ""
    n = abs(n)
    out = []
    while n:
        n, d = divmod(n, radix)
        out.append(_DIGITS[d])
    return sign + "".join(reversed(out))


def flonum_to_string(x: float) -> str:
    if x != x:
        return "+nan.0"
    if x == math.inf:
        return "+inf.0"
    if x == -math.inf:
        return "-inf.0"
    text = repr(x)
    if "e" in text:
        mantissa, exponent = text.split("e")
        if "." not in mantissa:
            mantissa += ".0"
        power = int(exponent)
        return f"{mantissa}e{'+' if power > 0 else ''}{power}"
    return text


def _real_to_string(x: Any, radix: int) -> str:
    t = type(x)
    if t is int:
        return _int_to_string(x, radix)
    if t is Fraction:
        return f"{_int_to_string(x.numerator, radix)}/{_int_to_string(x.denominator, radix)}"
    if radix != 10:
        raise error("number->string: inexact numbers are written in radix 10 only", x)
    return flonum_to_string(x)


def number_to_string(z: Any, radix: int = 10) -> str:
    if radix not in (2, 8, 10, 16) and not (isinstance(radix, int) and 2 <= radix <= 36):
        raise error("number->string: bad radix", radix)
    t = type(z)
    if t in _REAL:
        return _real_to_string(z, radix)
    if t is Complex:
        re_text = "" if (type(z.re) is int and z.re == 0) else _real_to_string(z.re, radix)
        im = z.im
        if type(im) is int and im in (1, -1):
            im_text = "+" if im == 1 else "-"
        else:
            im_text = _real_to_string(im, radix)
            if im_text[0] not in "+-":
                im_text = "+" + im_text
        return f"{re_text}{im_text}i"
    raise error("number->string: not a number", z)


# ---------------------------------------------------------------- reading numbers

_DIGIT_CLASS = {2: "[01]", 8: "[0-7]", 10: "[0-9]", 16: "[0-9a-f]"}
_EXPONENT = "[esfdl][+-]?[0-9]+"


def _real_pattern(radix: int) -> str:
    d = _DIGIT_CLASS[radix]
    ureal = f"{d}+(?:/{d}+)?"
    if radix == 10:
        decimal = rf"(?:[0-9]+\.?[0-9]*|\.[0-9]+)(?:{_EXPONENT})?"
        ureal = f"(?:[0-9]+/[0-9]+|{decimal})"
    return ureal


def _compile_patterns(radix: int) -> tuple[re.Pattern[str], re.Pattern[str], re.Pattern[str]]:
    ureal = _real_pattern(radix)
    special = r"(?:inf\.0|nan\.0)"
    real = rf"(?:[+-]?{ureal}|[+-]{special})"
    flags = re.IGNORECASE
    return (re.compile(rf"(?P<re>{real})\Z", flags),
            re.compile(rf"(?P<re>{real})?(?P<im>[+-](?:{ureal})?|[+-]{special})i\Z", flags),
            re.compile(rf"(?P<m>{real})@(?P<a>{real})\Z", flags))


_PATTERNS = {radix: _compile_patterns(radix) for radix in (2, 8, 10, 16)}


def _parse_real(text: str, radix: int, exactness: str | None) -> Any:
    lower = text.lower()
    if lower in ("+inf.0", "-inf.0", "+nan.0", "-nan.0"):
        if exactness == "e":
            return None
        if lower.endswith("nan.0"):
            return math.nan
        return math.inf if lower[0] == "+" else -math.inf
    sign = 1
    body = lower
    if body and body[0] in "+-":
        sign = -1 if body[0] == "-" else 1
        body = body[1:]
    if "/" in body:
        num, den = body.split("/")
        n, d = int(num, radix), int(den, radix)
        if d == 0:
            return None
        value: Any = _norm(Fraction(sign * n, d))
        return _flo(value) if exactness == "i" else value
    if radix == 10 and ("." in body or any(c in body for c in "esfdl")):
        normal = re.sub("[sfdl]", "e", body)
        if exactness == "e":
            return _norm(Fraction(normal) * sign)
        value = float(normal) * sign
        if value == 0 and sign < 0:
            return -0.0
        return value
    n = sign * int(body, radix)
    return float(n) if exactness == "i" else n


def parse_number(text: str, radix: int = 10) -> Any:
    """The number written as ``text`` (with ``#x``/``#e`` prefixes), or None if it is not one."""
    exactness: str | None = None
    radix_seen = False
    while len(text) >= 2 and text[0] == "#":
        p = text[1].lower()
        if p in "xbod" and not radix_seen:
            radix = {"x": 16, "b": 2, "o": 8, "d": 10}[p]
            radix_seen = True
        elif p in "ei" and exactness is None:
            exactness = p
        else:
            return None
        text = text[2:]
    if not text or radix not in _PATTERNS:
        return None
    real_re, rect_re, polar_re = _PATTERNS[radix]
    try:
        m = real_re.match(text)
        if m:
            return _parse_real(text, radix, exactness)
        m = rect_re.match(text)
        if m:
            re_text, im_text = m.group("re"), m.group("im")
            re_value = _parse_real(re_text, radix, exactness) if re_text else 0
            if im_text in ("+", "-"):
                im_text += "1"
            im_value = _parse_real(im_text, radix, exactness)
            if re_value is None or im_value is None:
                return None
            if exactness == "i" and type(im_value) is int:
                im_value = float(im_value)
            return make_rect(re_value, im_value)
        m = polar_re.match(text)
        if m:
            mag = _parse_real(m.group("m"), radix, exactness)
            ang = _parse_real(m.group("a"), radix, exactness)
            if mag is None or ang is None:
                return None
            if type(ang) is int and ang == 0:
                return mag
            return make_polar(mag, ang)
    except (ValueError, ZeroDivisionError):
        return None
    return None
