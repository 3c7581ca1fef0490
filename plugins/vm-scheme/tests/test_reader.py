"""The reader: R7RS lexical syntax, and errors that name line and column."""

from __future__ import annotations

from fractions import Fraction

import pytest

from osvm_vm_scheme.numbers import Complex
from osvm_vm_scheme.printer import write_string
from osvm_vm_scheme.reader import Incomplete, Reader, ReadError
from osvm_vm_scheme.values import EOF, MString, Pair, sym


def read1(text: str):
    return Reader(text).read()


def written(text: str) -> str:
    return write_string(read1(text))


@pytest.mark.parametrize("text, expected", [
    ("(a b . c)", "(a b . c)"),
    ("[a b]", "(a b)"),
    ("'x", "(quote x)"),
    ("`(a ,b ,@c)", "(quasiquote (a (unquote b) (unquote-splicing c)))"),
    ("#(1 #t #f)", "#(1 #t #f)"),
    ("#u8(0 255)", "#u8(0 255)"),
    ("#true #false", "#t"),
    ("|hello world|", "|hello world|"),
    ("|H\\x65;llo|", "Hello"),
    ("#\\space", "#\\space"),
    ("#\\x41", "#\\A"),
    ("#\\(", "#\\("),
    ('"a\\tb\\x41;\\\\"', '"a\\tbA\\\\"'),
    ('"line \\\n    continued"', '"line continued"'),
    ("#| nested #| comment |# |# 42", "42"),
    ("#;(ignored datum) kept", "kept"),
    ("; comment\n 7", "7"),
    ("#!fold-case ABC", "abc"),
    ("#0=(a . #0#)", "#0=(a . #0#)"),
    ("(#0=(1 2) #0#)", "((1 2) (1 2))"),
    ("...", "..."),
    ("->x", "->x"),
    ("+", "+"),
])
def test_reads_r7rs_syntax(text, expected):
    assert written(text) == expected


@pytest.mark.parametrize("text, value", [
    ("42", 42), ("-17", -17), ("#x-ff", -255), ("#b101", 5), ("#o17", 15), ("1/2", Fraction(1, 2)),
    ("10/5", 2), ("1.5", 1.5), (".5e1", 5.0), ("#e1.25", Fraction(5, 4)), ("#i3/4", 0.75),
    ("123456789012345678901234567890", 123456789012345678901234567890), ("1e2", 100.0),
])
def test_reads_numbers(text, value):
    result = read1(text)
    assert result == value and type(result) is type(value)


def test_reads_special_floats_and_complex():
    assert read1("+inf.0") == float("inf")
    assert read1("-inf.0") == float("-inf")
    nan = read1("+nan.0")
    assert nan != nan
    z = read1("1+2i")
    assert type(z) is Complex and (z.re, z.im) == (1, 2)
    assert write_string(read1("-i")) == "-i"


def test_symbols_that_look_like_numbers_are_written_with_bars():
    assert write_string(sym("1+")) == "|1+|"
    assert write_string(sym("+inf.0")) == "|+inf.0|"
    assert write_string(sym("")) == "||"


def test_end_of_input_is_eof_and_strings_are_mutable_strings():
    r = Reader(' "s" ')
    s = r.read()
    assert type(s) is MString and s.s == "s"
    assert r.read() is EOF


def test_lists_remember_their_line():
    r = Reader("(a)\n\n(b\n c)")
    first, second = r.read(), r.read()
    assert r.line_of(first) == 1 and r.line_of(second) == 3
    assert type(second) is Pair


@pytest.mark.parametrize("text, line, column, words", [
    ("(a b", 1, 1, "unterminated list"),
    ("(define x\n  (+ 1 2)", 1, 1, "unterminated list"),
    ('(display "abc', 1, 10, "unterminated string"),
    ("\n  )", 2, 3, "unexpected ')'"),
    ("(a . b c)", 1, 8, "expected ')'"),
    ("(. a)", 1, 2, "'.' at the start"),
    ("#\\nosuchchar", 1, 1, "unknown character name"),
    ("\n\n   #zz", 3, 4, "unknown '#' syntax"),
    ('"bad \\q escape"', 1, 6, "unknown string escape"),
    ("#u8(1 300)", 1, 1, "bytevector"),
    ("(a #;)", 1, 4, "datum comment"),
    ("#1#", 1, 1, "undefined datum label"),
])
def test_errors_name_line_and_column(text, line, column, words):
    with pytest.raises(ReadError) as info:
        Reader(text, "prog.scm").read_all()
    error = info.value
    assert (error.line, error.column) == (line, column), str(error)
    assert words in error.message
    assert str(error).startswith(f"prog.scm:{line}:{column}: ")


def test_incomplete_input_is_told_apart():
    with pytest.raises(Incomplete):
        Reader("(a (b").read()
    with pytest.raises(ReadError) as info:
        Reader(")").read()
    assert not isinstance(info.value, Incomplete)
