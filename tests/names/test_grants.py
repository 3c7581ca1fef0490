"""Grants: path globs and the three kinds of rights."""

import pytest

from osvm_core.errors import ParameterError
from osvm_core.names import Entry, EntryKind, Grants, parse_signature

SIG = parse_signature("func()")


def entry(path, owner="py0", rights="granted"):
    return Entry(path, EntryKind.PROCEDURE, SIG, owner, rights=rights)


@pytest.mark.parametrize(
    ("pattern", "path", "expected"),
    [
        ("/mod/py0/x", "/mod/py0/x", True),
        ("/mod/py0/x", "/mod/py0/xy", False),
        ("/mod/py0/x", "/mod/py0/x/y", False),
        ("/mod/*/calc/add", "/mod/py0/calc/add", True),
        ("/mod/*/calc/add", "/mod/py0/sub/calc/add", False),
        ("/mod/*/calc/add", "/mod/calc/add", False),
        ("/mod/py0/*", "/mod/py0/f", True),
        ("/mod/py0/*", "/mod/py0/a/f", False),
        ("/mod/py0/**", "/mod/py0/f", True),
        ("/mod/py0/**", "/mod/py0/a/b/c", True),
        ("/mod/py0/**", "/mod/py0", True),  # zero segments
        ("/mod/py0/**", "/mod/py00/f", False),
        ("/mod/**/add", "/mod/add", True),
        ("/mod/**/add", "/mod/a/b/add", True),
        ("/mod/**/add", "/mod/a/b/add2", False),
        ("/**", "/anything/at/all", True),
        ("/mod/py0/add*", "/mod/py0/add_i32", True),
        ("/mod/py0/add*", "/mod/py0/sub", False),
        ("/mod/py0/a.b", "/mod/py0/aXb", False),  # '.' is literal, not a regex wildcard
    ],
)
def test_globs(pattern, path, expected):
    g = Grants()
    g.allow("py1", pattern)
    assert g.matches("py1", path) is expected
    assert g.permits("py1", entry(path)) is expected
    assert g.matches("py2", path) is False


def test_several_patterns_and_recompilation():
    g = Grants()
    g.allow("py1", "/mod/py0/a")
    assert not g.matches("py1", "/mod/py0/b")
    g.allow("py1", "/mod/py0/b")
    g.allow("py1", "/mod/py0/b")  # duplicates are ignored
    assert g.patterns("py1") == ["/mod/py0/a", "/mod/py0/b"]
    assert g.matches("py1", "/mod/py0/a") and g.matches("py1", "/mod/py0/b")
    g.revoke("py1", "/mod/py0/a")
    assert not g.matches("py1", "/mod/py0/a")
    with pytest.raises(ParameterError, match="has no grant"):
        g.revoke("py1", "/mod/py0/a")


@pytest.mark.parametrize("pattern", ["mod/x", "/mod//x", "/mod/a b", "/mod/***", "/mod/../x", "/mod/x?"])
def test_bad_patterns(pattern):
    with pytest.raises(ParameterError, match="bad grant pattern"):
        Grants().allow("py1", pattern)


def test_rights():
    g = Grants()
    g.allow("py1", "/**")
    public = entry("/os/x", owner="os", rights="public")
    granted = entry("/mod/py0/f")
    owner_only = entry("/mod/py0/secret", rights="owner")
    assert g.permits("nobody", public)
    assert g.permits("py1", granted) and not g.permits("py2", granted)
    assert g.permits("py0", granted)  # the owner always may
    assert not g.permits("py1", owner_only)  # a grant does not open owner-only entries
    assert g.permits("py0", owner_only)


def test_from_mapping():
    g = Grants.from_mapping({"py1": ["/mod/py0/**"], "fs0": "/os/*"})
    assert g.matches("py1", "/mod/py0/m/f")
    assert g.matches("fs0", "/os/sig_sem") and not g.matches("fs0", "/os/a/b")
