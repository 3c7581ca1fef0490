"""The WIT-like signature language of the names tree, and universal values.

Every entry in the tree carries a signature such as ``func(a: s32, b: s32) -> s32``.
Binding compares the importer's expected signature with the entry's (names do
not matter, types do), and every cross-VM call checks its arguments and result
against it.  Values cross VMs in one *universal* Python form (see
:func:`check_value`); each VM lifts and lowers between that form and its own.

Types: ``bool s8 u8 s16 u16 s32 u32 s64 u64 f32 f64 string bytes list<T>
tuple<T, ...> option<T> handle<kind>``.  The 8- and 16-bit integers exist because
byte lists (``list<u8>``) are common; they behave like the wider ones with a
smaller range.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from functools import cached_property, lru_cache
from typing import Any

from osvm_core.errors import ParameterError, SignatureError

__all__ = [
    "PRIMITIVES",
    "Handle",
    "HandleOf",
    "ListOf",
    "OptionOf",
    "Param",
    "Prim",
    "Signature",
    "TupleOf",
    "Type",
    "check_args",
    "check_bind",
    "check_result",
    "check_value",
    "iter_types",
    "parse_signature",
    "parse_type",
]

# name -> (low, high) for integers; None for the other primitives.
_INT_RANGES: dict[str, tuple[int, int]] = {
    "s8": (-(2**7), 2**7 - 1),
    "u8": (0, 2**8 - 1),
    "s16": (-(2**15), 2**15 - 1),
    "u16": (0, 2**16 - 1),
    "s32": (-(2**31), 2**31 - 1),
    "u32": (0, 2**32 - 1),
    "s64": (-(2**63), 2**63 - 1),
    "u64": (0, 2**64 - 1),
}
# ``any`` is a dynamically typed value (a port message): any universal value is accepted,
# and a VM that cannot represent every universal value refuses it at bind time.
PRIMITIVES: frozenset[str] = frozenset(_INT_RANGES) | {"bool", "f32", "f64", "string", "bytes", "any"}
_GENERIC = ("list", "tuple", "option", "handle")

# A checker returns the normalised value or raises _Mismatch; the public
# functions turn that into a ParameterError with the caller's wording.
Checker = Callable[[Any], Any]


class _Mismatch(Exception):
    """Internal: a value does not fit; ``at`` is the path inside nested values."""

    def __init__(self, expected: Type, value: Any, note: str = "") -> None:
        self.expected = expected
        self.value = value
        self.note = note
        self.at: list[str] = []


# ---------------------------------------------------------------- types


class _TypeBase:
    """Shared behaviour: the checker is compiled once per type object."""

    @cached_property
    def checker(self) -> Checker:
        # cached_property writes straight into the instance dict, so this works
        # on frozen dataclasses and later reads are plain attribute loads.
        return _compile(self)  # type: ignore[arg-type]


@dataclass(frozen=True)
class Prim(_TypeBase):
    """A primitive type such as ``s32`` or ``string``."""

    name: str

    def __post_init__(self) -> None:
        if self.name not in PRIMITIVES:
            raise SignatureError(f"unknown primitive type {self.name!r}")

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class ListOf(_TypeBase):
    """``list<T>``: any number of T."""

    elem: Type

    def __str__(self) -> str:
        return f"list<{self.elem}>"


@dataclass(frozen=True)
class TupleOf(_TypeBase):
    """``tuple<T, U, ...>``: fixed arity, at least one element."""

    elems: tuple[Type, ...]

    def __post_init__(self) -> None:
        if not self.elems:
            raise SignatureError("tuple<> needs at least one element type")

    def __str__(self) -> str:
        return "tuple<" + ", ".join(map(str, self.elems)) + ">"


@dataclass(frozen=True)
class OptionOf(_TypeBase):
    """``option<T>``: None or a T."""

    elem: Type

    def __str__(self) -> str:
        return f"option<{self.elem}>"


_IDENT_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_]*\Z")


@dataclass(frozen=True)
class HandleOf(_TypeBase):
    """``handle<kind>``: a reference to a kernel object of one kind (sem, port, ...)."""

    kind: str

    def __post_init__(self) -> None:
        if not _IDENT_RE.match(self.kind):
            raise SignatureError(f"bad handle kind {self.kind!r}")

    def __str__(self) -> str:
        return f"handle<{self.kind}>"


Type = Prim | ListOf | TupleOf | OptionOf | HandleOf


@dataclass(frozen=True)
class Handle:
    """The universal value of ``handle<kind>``: which kind of object and its id."""

    kind: str
    id: int

    def __str__(self) -> str:
        return f"{self.kind}#{self.id}"


@dataclass(frozen=True)
class Param:
    """One named parameter; the name is documentation, only the type is checked."""

    name: str
    type: Type

    def __str__(self) -> str:
        return f"{self.name}: {self.type}"


@dataclass(frozen=True)
class Signature:
    """``func(params) -> result``; ``result`` is None for a function without one."""

    params: tuple[Param, ...] = ()
    result: Type | None = None

    def __post_init__(self) -> None:
        seen: set[str] = set()
        for name in (p.name for p in self.params):
            if name in seen:
                raise SignatureError(f"duplicate parameter name {name!r} in {self}")
            seen.add(name)

    def __str__(self) -> str:
        text = "func(" + ", ".join(map(str, self.params)) + ")"
        return text if self.result is None else f"{text} -> {self.result}"

    @property
    def param_types(self) -> tuple[Type, ...]:
        return tuple(p.type for p in self.params)

    def same_types(self, other: Signature) -> bool:
        """True if both have the same parameter and result types (names ignored)."""
        return self.param_types == other.param_types and self.result == other.result

    def types(self) -> Iterator[Type]:
        """Every type mentioned, nested ones included (for a VM to refuse what it cannot express)."""
        for p in self.params:
            yield from iter_types(p.type)
        if self.result is not None:
            yield from iter_types(self.result)

    @cached_property
    def _arg_checkers(self) -> tuple[tuple[str, Checker], ...]:
        return tuple((p.name, p.type.checker) for p in self.params)


def iter_types(t: Type) -> Iterator[Type]:
    """``t`` and every type nested inside it, outermost first."""
    yield t
    if isinstance(t, ListOf | OptionOf):
        yield from iter_types(t.elem)
    elif isinstance(t, TupleOf):
        for e in t.elems:
            yield from iter_types(e)


# ---------------------------------------------------------------- parsing

_TOKEN_RE = re.compile(r"\s*(?:(?P<ident>[A-Za-z_][A-Za-z0-9_]*)|(?P<arrow>->)|(?P<punct>[()<>,:]))")
_SPACE_RE = re.compile(r"\s*")


class _Parser:
    """Recursive descent over the text; columns in errors are 1-based."""

    def __init__(self, text: str, what: str) -> None:
        self.text = text
        self.what = what
        self.pos = 0

    def fail(self, problem: str, pos: int | None = None) -> SignatureError:
        col = (self.pos if pos is None else pos) + 1
        return SignatureError(f"bad {self.what} {self.text!r}: {problem} at column {col}")

    def _skip(self) -> None:
        self.pos = _SPACE_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def _found(self) -> str:
        self._skip()
        if self.pos >= len(self.text):
            return "end of text"
        m = _TOKEN_RE.match(self.text, self.pos)
        return repr(m.group().strip()) if m else repr(self.text[self.pos])

    def peek(self) -> str | None:
        """The next token's text without consuming it (None at the end)."""
        self._skip()
        m = _TOKEN_RE.match(self.text, self.pos)
        return m.group().strip() if m else None

    def expect(self, token: str, expected: str | None = None) -> None:
        if self.peek() != token:
            raise self.fail(f"expected {expected or repr(token)}, found {self._found()}")
        self.pos = _TOKEN_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]

    def accept(self, token: str) -> bool:
        if self.peek() == token:
            self.pos = _TOKEN_RE.match(self.text, self.pos).end()  # type: ignore[union-attr]
            return True
        return False

    def ident(self, expected: str) -> tuple[str, int]:
        self._skip()
        m = _TOKEN_RE.match(self.text, self.pos)
        if not m or not m.group("ident"):
            raise self.fail(f"expected {expected}, found {self._found()}")
        start = self.pos
        self.pos = m.end()
        return m.group("ident"), start

    def end(self) -> None:
        self._skip()
        if self.pos < len(self.text):
            raise self.fail(f"unexpected {self._found()} after the end")

    def type(self) -> Type:
        name, start = self.ident("a type")
        if name in PRIMITIVES:
            return Prim(name)
        if name not in _GENERIC:
            raise self.fail(f"unknown type {name!r}", start)
        self.expect("<", f"'<' after {name!r}")
        result: Type
        if name == "handle":
            kind, _ = self.ident("a handle kind (e.g. sem, port)")
            result = HandleOf(kind)
        elif name == "tuple":
            elems = [self.type()]
            while self.accept(","):
                elems.append(self.type())
            result = TupleOf(tuple(elems))
            self.expect(">", "',' or '>'")
            return result
        else:
            elem = self.type()
            result = ListOf(elem) if name == "list" else OptionOf(elem)
        self.expect(">", "'>'")
        return result

    def signature(self) -> Signature:
        word, start = self.ident("'func'")
        if word != "func":
            raise self.fail(f"expected 'func', found {word!r}", start)
        self.expect("(")
        params: list[Param] = []
        seen: set[str] = set()
        if not self.accept(")"):
            while True:
                name, start = self.ident("a parameter name or ')'" if not params else "a parameter name")
                if name in seen:
                    raise self.fail(f"duplicate parameter name {name!r}", start)
                seen.add(name)
                self.expect(":", f"':' after parameter {name!r}")
                params.append(Param(name, self.type()))
                if self.accept(")"):
                    break
                self.expect(",", "',' or ')'")
        result = None
        if self.accept("->"):
            result = self.type()
        else:
            self._skip()
            if self.pos < len(self.text):
                raise self.fail(f"expected '->' or end of text, found {self._found()}")
        self.end()
        return Signature(tuple(params), result)


@lru_cache(maxsize=1024)
def parse_type(text: str) -> Type:
    """Parse one type, e.g. ``list<tuple<string, u32>>``; SignatureError on bad text."""
    if not isinstance(text, str):
        raise SignatureError(f"a type must be text, got {type(text).__name__}")
    p = _Parser(text, "type")
    t = p.type()
    p.end()
    return t


@lru_cache(maxsize=1024)
def parse_signature(text: str) -> Signature:
    """Parse ``func(a: s32, b: s32) -> s32``; SignatureError names the column."""
    if not isinstance(text, str):
        raise SignatureError(f"a signature must be text, got {type(text).__name__}")
    return _Parser(text, "signature").signature()


def check_bind(path: str, expected: Signature, actual: Signature) -> None:
    """Refuse a bind whose expected signature differs in types from the entry's."""
    if not expected.same_types(actual):
        raise SignatureError(f"cannot bind {path}: expected {expected}, entry has {actual}")


# ---------------------------------------------------------------- values


def _describe(value: Any) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return f"{type(value).__name__} {text}"


def _compile(t: Type) -> Checker:
    if isinstance(t, Prim):
        return _compile_prim(t)
    if isinstance(t, ListOf):
        return _compile_list(t)
    if isinstance(t, TupleOf):
        return _compile_tuple(t)
    if isinstance(t, OptionOf):
        return _compile_option(t)
    if isinstance(t, HandleOf):
        return _compile_handle(t)
    raise TypeError(f"not a signature type: {t!r}")


def _compile_prim(t: Prim) -> Checker:
    name = t.name
    if name in _INT_RANGES:
        lo, hi = _INT_RANGES[name]

        def check_int(v: Any) -> int:
            if type(v) is int:
                if lo <= v <= hi:
                    return v
                raise _Mismatch(t, v, f"out of range {lo}..{hi}")
            if isinstance(v, bool) or not hasattr(type(v), "__index__"):
                raise _Mismatch(t, v)
            n = v.__index__()
            if lo <= n <= hi:
                return n
            raise _Mismatch(t, v, f"out of range {lo}..{hi}")

        return check_int
    if name == "any":
        return _check_any
    if name == "bool":

        def check_bool(v: Any) -> bool:
            if v is True or v is False:
                return v
            raise _Mismatch(t, v)

        return check_bool
    if name in ("f32", "f64"):

        def check_float(v: Any) -> float:
            if type(v) is float:
                return v
            if isinstance(v, float):
                return float(v)
            if isinstance(v, int) and not isinstance(v, bool):
                try:
                    return float(v)
                except OverflowError:
                    raise _Mismatch(t, v, "too large for a float") from None
            raise _Mismatch(t, v)

        return check_float
    if name == "string":

        def check_string(v: Any) -> str:
            if type(v) is str:
                return v
            if isinstance(v, str):
                return str(v)
            raise _Mismatch(t, v)

        return check_string
    # bytes

    def check_bytes(v: Any) -> bytes:
        if type(v) is bytes:
            return v
        if isinstance(v, bytes | bytearray | memoryview):
            return bytes(v)
        raise _Mismatch(t, v)

    return check_bytes


_UNIVERSAL_SCALARS = (bool, int, float, str, bytes, type(None))


def _check_any(v: Any) -> Any:
    """Accept any universal value: scalars, bytes, handles, and lists/tuples of them."""
    kind = type(v)
    if kind in _UNIVERSAL_SCALARS or kind is Handle:
        return v
    if kind is bytearray or kind is memoryview:
        return bytes(v)
    if kind is list or kind is tuple:
        return kind(_check_any(item) for item in v)
    raise _Mismatch(Prim("any"), v, "not a universal value")


def _compile_list(t: ListOf) -> Checker:
    elem = t.elem.checker

    def check_list(v: Any) -> list[Any]:
        if not isinstance(v, list | tuple):
            raise _Mismatch(t, v)
        out = []
        for i, x in enumerate(v):
            try:
                out.append(elem(x))
            except _Mismatch as m:
                m.at.append(f"[{i}]")
                raise
        return out

    return check_list


def _compile_tuple(t: TupleOf) -> Checker:
    elems = tuple(e.checker for e in t.elems)
    arity = len(elems)

    def check_tuple(v: Any) -> tuple[Any, ...]:
        if not isinstance(v, tuple | list):
            raise _Mismatch(t, v)
        if len(v) != arity:
            raise _Mismatch(t, v, f"{len(v)} elements instead of {arity}")
        out = []
        for i, (check, x) in enumerate(zip(elems, v, strict=True)):
            try:
                out.append(check(x))
            except _Mismatch as m:
                m.at.append(f"[{i}]")
                raise
        return tuple(out)

    return check_tuple


def _compile_option(t: OptionOf) -> Checker:
    elem = t.elem.checker

    def check_option(v: Any) -> Any:
        if v is None:
            return None
        try:
            return elem(v)
        except _Mismatch as m:
            if not m.at:  # the value itself is wrong: name the option, not its element
                m.expected = t
            raise

    return check_option


def _compile_handle(t: HandleOf) -> Checker:
    kind = t.kind

    def check_handle(v: Any) -> Handle:
        if isinstance(v, Handle):
            if v.kind == kind:
                return v
            raise _Mismatch(t, v, f"a handle of kind {v.kind!r}")
        if isinstance(v, int) and not isinstance(v, bool):
            return Handle(kind, int(v))
        raise _Mismatch(t, v)

    return check_handle


def _error(what: str, m: _Mismatch) -> ParameterError:
    at = "".join(reversed(m.at))
    where = f" at {at}" if at else ""
    note = f" ({m.note})" if m.note else ""
    return ParameterError(f"{what}: expected {m.expected}{where}, got {_describe(m.value)}{note}")


def check_value(t: Type, value: Any, what: str) -> Any:
    """The universal form of ``value`` as a ``t``, or ParameterError naming ``what``.

    Universal forms: bool; int in range for the integer types; float (an int is
    converted); str; bytes (bytearray/memoryview converted); list (a tuple is
    accepted); tuple of the right arity (a list is accepted); None or the
    element for option; :class:`Handle` of the right kind (an int id is wrapped).
    Lists and tuples are always rebuilt, so VMs never share a mutable container.
    """
    try:
        return t.checker(value)
    except _Mismatch as m:
        raise _error(what, m) from None


def check_args(signature: Signature, args: tuple[Any, ...], where: str) -> tuple[Any, ...]:
    """Check arity and every argument of a call to ``where``; returns the normalised args."""
    checkers = signature._arg_checkers
    if len(args) != len(checkers):
        raise ParameterError(
            f"{where}: expected {len(checkers)} argument{'s' if len(checkers) != 1 else ''} "
            f"for {signature}, got {len(args)}"
        )
    out = []
    for (name, check), value in zip(checkers, args, strict=True):
        try:
            out.append(check(value))
        except _Mismatch as m:
            raise _error(f"argument {name!r} of {where}", m) from None
    return tuple(out)


def check_result(signature: Signature, value: Any, where: str) -> Any:
    """Check what a call to ``where`` returned; a signature without result wants None."""
    result = signature.result
    if result is None:
        if value is not None:
            raise ParameterError(f"result of {where}: expected no result, got {_describe(value)}")
        return None
    try:
        return result.checker(value)
    except _Mismatch as m:
        raise _error(f"result of {where}", m) from None
