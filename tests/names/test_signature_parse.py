"""Parsing, canonical text and error messages of the signature language."""

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osvm_core.errors import ParameterError, SignatureError
from osvm_core.names import (
    HandleOf,
    ListOf,
    OptionOf,
    Param,
    Prim,
    Signature,
    TupleOf,
    check_bind,
    iter_types,
    parse_signature,
    parse_type,
)

BASIC = ["bool", "s32", "u32", "s64", "u64", "f32", "f64", "string", "bytes", "u8", "s8", "u16", "s16"]


@pytest.mark.parametrize("name", BASIC)
def test_every_primitive_parses(name):
    assert parse_type(name) == Prim(name)
    assert str(parse_type(name)) == name


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("list<s32>", ListOf(Prim("s32"))),
        ("option<string>", OptionOf(Prim("string"))),
        ("handle<sem>", HandleOf("sem")),
        ("handle<port>", HandleOf("port")),
        ("tuple<s32>", TupleOf((Prim("s32"),))),
        ("tuple<s32, string, bytes>", TupleOf((Prim("s32"), Prim("string"), Prim("bytes")))),
        (
            "list<tuple<string, option<handle<mpf>>>>",
            ListOf(TupleOf((Prim("string"), OptionOf(HandleOf("mpf"))))),
        ),
        ("option<option<u64>>", OptionOf(OptionOf(Prim("u64")))),
    ],
)
def test_compound_types(text, expected):
    assert parse_type(text) == expected
    assert str(expected) == text


def test_signature_canonical_text_and_whitespace():
    sig = parse_signature("  func (a:s32 ,b :  s32)->s32  ")
    assert sig == Signature((Param("a", Prim("s32")), Param("b", Prim("s32"))), Prim("s32"))
    assert str(sig) == "func(a: s32, b: s32) -> s32"
    assert str(parse_signature("func()")) == "func()"
    assert parse_signature("func( )").result is None
    assert str(parse_signature("func(\n\tx: list< tuple<u32,f64> >\n)")) == "func(x: list<tuple<u32, f64>>)"


def test_parse_is_cached():
    assert parse_signature("func(a: s32) -> s32") is parse_signature("func(a: s32) -> s32")
    assert parse_type("list<u8>") is parse_type("list<u8>")


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ("func(a: s33)", "bad signature 'func(a: s33)': unknown type 's33' at column 9"),
        ("func(a: s32,)", "expected a parameter name, found ')' at column 13"),
        ("func(a: s32 b: s32)", "expected ',' or ')', found 'b' at column 13"),
        ("func(a: s32, a: u32)", "duplicate parameter name 'a' at column 14"),
        ("func(a: list<s32)", "expected '>', found ')' at column 17"),
        ("func(a: s32) ->", "expected a type, found end of text at column 16"),
        ("func(a: s32) s32", "expected '->' or end of text, found 's32' at column 14"),
        ("fun(a: s32)", "expected 'func', found 'fun' at column 1"),
        ("func(a s32)", "expected ':' after parameter 'a', found 's32' at column 8"),
        ("func(a: tuple<>)", "expected a type, found '>' at column 15"),
        ("func(a: handle<7>)", "expected a handle kind"),
        ("func(a: s32) -> s32 s32", "unexpected 's32' after the end at column 21"),
        ("func(a: s32 $)", "found '$' at column 13"),
        ("func(a: list s32)", "expected '<' after 'list', found 's32' at column 14"),
        ("", "expected 'func', found end of text at column 1"),
    ],
)
def test_signature_errors_name_text_column_and_expectation(text, fragment):
    with pytest.raises(SignatureError) as info:
        parse_signature(text)
    assert fragment in str(info.value)
    assert f"bad signature {text!r}" in str(info.value)


def test_signature_error_is_a_parameter_error():
    with pytest.raises(ParameterError) as info:
        parse_type("list<s33>")
    assert "bad type 'list<s33>': unknown type 's33' at column 6" in str(info.value)
    assert info.value.code == -17


def test_type_errors():
    with pytest.raises(SignatureError, match="unexpected '>' after the end at column 4"):
        parse_type("s32>")
    with pytest.raises(SignatureError, match="expected ',' or '>', found end of text"):
        parse_type("tuple<s32")
    with pytest.raises(SignatureError):
        parse_type(42)  # type: ignore[arg-type]


def test_constructors_validate():
    with pytest.raises(SignatureError):
        Prim("int")
    with pytest.raises(SignatureError):
        TupleOf(())
    with pytest.raises(SignatureError):
        HandleOf("no good")
    with pytest.raises(SignatureError, match="duplicate parameter name 'x'"):
        Signature((Param("x", Prim("s32")), Param("x", Prim("u32"))))


def test_iter_types_and_signature_types():
    t = parse_type("list<tuple<u8, option<handle<sem>>>>")
    assert [str(x) for x in iter_types(t)] == [
        "list<tuple<u8, option<handle<sem>>>>",
        "tuple<u8, option<handle<sem>>>",
        "u8",
        "option<handle<sem>>",
        "handle<sem>",
    ]
    sig = parse_signature("func(a: list<f32>) -> option<string>")
    assert [str(x) for x in sig.types()] == ["list<f32>", "f32", "option<string>", "string"]


def test_check_bind_ignores_names_but_not_types():
    check_bind("/p", parse_signature("func(x: s32) -> s32"), parse_signature("func(a: s32) -> s32"))
    with pytest.raises(SignatureError) as info:
        check_bind(
            "/mod/py1/calc/add",
            parse_signature("func(a: s32) -> s32"),
            parse_signature("func(a: s32, b: s32) -> s32"),
        )
    assert str(info.value).endswith(
        "cannot bind /mod/py1/calc/add: expected func(a: s32) -> s32, entry has func(a: s32, b: s32) -> s32"
    )


@pytest.mark.parametrize(
    ("expected", "actual"),
    [
        ("func(a: s32) -> s32", "func(a: s32) -> s64"),
        ("func(a: s32) -> s32", "func(a: s32)"),
        ("func(a: s32)", "func(a: s32) -> s32"),
        ("func(a: list<u8>)", "func(a: bytes)"),
        ("func(a: handle<sem>)", "func(a: handle<port>)"),
        ("func(a: tuple<s32, s32>)", "func(a: tuple<s32>)"),
        ("func(a: option<s32>)", "func(a: s32)"),
    ],
)
def test_check_bind_mismatches(expected, actual):
    with pytest.raises(SignatureError, match="cannot bind /x: expected"):
        check_bind("/x", parse_signature(expected), parse_signature(actual))


# ---------------------------------------------------------------- round trips

names = st.from_regex(r"[A-Za-z_][A-Za-z0-9_]{0,6}", fullmatch=True)
prims = st.sampled_from(BASIC).map(Prim)
types = st.recursive(
    prims | names.map(HandleOf),
    lambda inner: st.one_of(
        inner.map(ListOf),
        inner.map(OptionOf),
        st.lists(inner, min_size=1, max_size=4).map(lambda xs: TupleOf(tuple(xs))),
    ),
    max_leaves=12,
)


@st.composite
def signatures(draw):
    pnames = draw(st.lists(names, max_size=5, unique=True))
    params = tuple(Param(n, draw(types)) for n in pnames)
    return Signature(params, draw(st.none() | types))


@given(types)
def test_type_round_trip(t):
    assert parse_type(str(t)) == t


@given(signatures())
def test_signature_round_trip(sig):
    assert parse_signature(str(sig)) == sig
    assert str(parse_signature(str(sig))) == str(sig)


@given(signatures(), st.sampled_from([" ", "  ", "\t", "\n "]))
def test_signature_whitespace_tolerant(sig, space):
    text = re.sub(r"->|[()<>,:]", lambda m: f"{space}{m.group()}{space}", str(sig))
    assert parse_signature(text) == sig
