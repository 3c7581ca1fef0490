"""Universal values: check_value, check_args and check_result."""

import pytest
from hypothesis import given
from hypothesis import strategies as st

from osvm_core.errors import ParameterError
from osvm_core.names import Handle, check_args, check_result, check_value, parse_signature, parse_type

RANGES = {
    "s8": (-(2**7), 2**7 - 1),
    "u8": (0, 255),
    "s16": (-(2**15), 2**15 - 1),
    "u16": (0, 2**16 - 1),
    "s32": (-(2**31), 2**31 - 1),
    "u32": (0, 2**32 - 1),
    "s64": (-(2**63), 2**63 - 1),
    "u64": (0, 2**64 - 1),
}


def ok(type_text, value):
    return check_value(parse_type(type_text), value, "v")


def bad(type_text, value):
    with pytest.raises(ParameterError) as info:
        check_value(parse_type(type_text), value, "argument 'b' of /mod/x/f")
    return str(info.value)


@pytest.mark.parametrize("name", sorted(RANGES))
def test_integer_limits(name):
    lo, hi = RANGES[name]
    assert ok(name, lo) == lo
    assert ok(name, hi) == hi
    assert f"out of range {lo}..{hi}" in bad(name, hi + 1)
    assert "out of range" in bad(name, lo - 1)


@given(st.integers(-(2**70), 2**70), st.sampled_from(sorted(RANGES)))
def test_integer_range_property(n, name):
    lo, hi = RANGES[name]
    if lo <= n <= hi:
        assert ok(name, n) == n
    else:
        with pytest.raises(ParameterError):
            ok(name, n)


def test_integer_rejects_other_types():
    assert bad("s32", "x") == "E_PAR: argument 'b' of /mod/x/f: expected s32, got str 'x'"
    assert "got bool True" in bad("s32", True)
    assert "got float 1.0" in bad("u64", 1.0)
    assert "got NoneType None" in bad("s64", None)


def test_integer_accepts_index_objects():
    class Idx:
        def __index__(self):
            return 7

    assert ok("u32", Idx()) == 7
    assert type(ok("u32", Idx())) is int


def test_bool():
    assert ok("bool", True) is True
    assert ok("bool", False) is False
    assert "expected bool, got int 1" in bad("bool", 1)
    assert "got NoneType" in bad("bool", None)


@pytest.mark.parametrize("name", ["f32", "f64"])
def test_floats(name):
    assert ok(name, 1.5) == 1.5
    value = ok(name, 3)
    assert value == 3.0 and type(value) is float
    assert f"expected {name}, got str" in bad(name, "1.0")
    assert "got bool" in bad(name, False)
    assert "too large" in bad(name, 10**400)


def test_string():
    assert ok("string", "héllo") == "héllo"

    class S(str):
        pass

    assert type(ok("string", S("x"))) is str
    assert "expected string, got bytes b'x'" in bad("string", b"x")


def test_bytes():
    assert ok("bytes", b"ab") == b"ab"
    assert ok("bytes", bytearray(b"ab")) == b"ab" and type(ok("bytes", bytearray(b"ab"))) is bytes
    assert ok("bytes", memoryview(b"xyz")) == b"xyz"
    assert "expected bytes, got str 'ab'" in bad("bytes", "ab")
    assert "got list" in bad("bytes", [1, 2])


def test_list():
    assert ok("list<s32>", [1, 2, 3]) == [1, 2, 3]
    assert ok("list<s32>", (1, 2)) == [1, 2]
    assert ok("list<f64>", [1, 2.5]) == [1.0, 2.5]
    assert ok("list<u8>", []) == []
    src = [1, 2]
    assert ok("list<s32>", src) is not src  # VMs never share a mutable container
    assert "expected list<s32>, got str 'abc'" in bad("list<s32>", "abc")
    assert "expected u8 at [2], got int 256 (out of range 0..255)" in bad("list<u8>", [0, 1, 256])


def test_tuple():
    assert ok("tuple<s32, string>", (1, "a")) == (1, "a")
    assert ok("tuple<s32, string>", [1, "a"]) == (1, "a")
    assert "3 elements instead of 2" in bad("tuple<s32, string>", (1, "a", 2))
    assert "expected string at [1], got int 2" in bad("tuple<s32, string>", (1, 2))
    assert "expected tuple<s32>, got int 1" in bad("tuple<s32>", 1)


def test_nested_error_location():
    msg = bad("list<tuple<u8, list<string>>>", [(1, ["a"]), (2, ["b", 3])])
    assert "expected string at [1][1][1], got int 3" in msg


def test_option():
    assert ok("option<s32>", None) is None
    assert ok("option<s32>", 5) == 5
    assert "expected option<s32>, got str 'x'" in bad("option<s32>", "x")
    assert "expected s32 at [1]" in bad("option<list<s32>>", [1, "x"])


def test_handle():
    h = Handle("sem", 3)
    assert ok("handle<sem>", h) is h
    assert ok("handle<sem>", 4) == Handle("sem", 4)
    assert "a handle of kind 'port'" in bad("handle<sem>", Handle("port", 1))
    assert "expected handle<sem>, got str" in bad("handle<sem>", "3")
    assert "got bool" in bad("handle<sem>", True)
    assert str(Handle("mpf", 2)) == "mpf#2"


SIG = parse_signature("func(a: s32, b: s32) -> s32")


def test_check_args():
    assert check_args(SIG, (1, 2), "/mod/x/f") == (1, 2)
    with pytest.raises(ParameterError) as info:
        check_args(SIG, (1, "x"), "/mod/x/f")
    assert str(info.value) == "E_PAR: argument 'b' of /mod/x/f: expected s32, got str 'x'"
    with pytest.raises(ParameterError, match=r"/mod/x/f: expected 2 arguments for func\(a: s32, b: s32\) -> s32, got 3"):
        check_args(SIG, (1, 2, 3), "/mod/x/f")
    assert check_args(parse_signature("func()"), (), "/g") == ()
    with pytest.raises(ParameterError, match="expected 0 arguments"):
        check_args(parse_signature("func()"), (1,), "/g")


def test_check_args_normalises():
    sig = parse_signature("func(x: f64, d: bytes, h: handle<port>)")
    assert check_args(sig, (1, bytearray(b"q"), 9), "/h") == (1.0, b"q", Handle("port", 9))


def test_check_result():
    assert check_result(SIG, 5, "/mod/x/f") == 5
    with pytest.raises(ParameterError, match="result of /mod/x/f: expected s32, got NoneType None"):
        check_result(SIG, None, "/mod/x/f")
    noresult = parse_signature("func(a: s32)")
    assert check_result(noresult, None, "/f") is None
    with pytest.raises(ParameterError, match="result of /f: expected no result, got int 3"):
        check_result(noresult, 3, "/f")


def test_long_values_are_shortened_in_messages():
    msg = bad("s32", "x" * 500)
    assert len(msg) < 150 and "..." in msg
