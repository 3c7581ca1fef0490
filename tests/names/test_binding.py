"""Binding: lookup, rights, signature checks and late binding."""

import pytest

from osvm_core.errors import AccessViolation, NoSuchObject, SignatureError
from osvm_core.names import Binding, Entry, EntryKind, Grants, Namespace, bind, parse_signature

ADD = parse_signature("func(a: s32, b: s32) -> s32")


@pytest.fixture
def world():
    ns = Namespace()
    ns.publish(Entry("/mod/py0/calc/add", EntryKind.PROCEDURE, ADD, "py0", procedure="add0"))
    ns.publish(Entry("/mod/py0/x", EntryKind.PROCEDURE, ADD, "py0"))
    ns.publish(Entry("/mod/py0/own", EntryKind.PROCEDURE, ADD, "py0", rights="owner"))
    ns.publish(Entry("/os/sem/1", EntryKind.OBJECT, None, "os", rights="public"))
    g = Grants()
    g.allow("py1", "/mod/py0/calc/**")
    return ns, g


def test_bind_with_matching_signature(world):
    ns, g = world
    b = bind(ns, g, "py1", "/mod/py0/calc/add", "func(x: s32, y: s32) -> s32")
    assert isinstance(b, Binding)
    assert b.entry.procedure == "add0"
    assert b.importer == "py1" and b.path == "/mod/py0/calc/add"
    assert str(b.signature) == "func(x: s32, y: s32) -> s32"
    assert b.generation == ns.generation


@pytest.mark.parametrize("expected", [None, "", "   "])
def test_bind_without_expectation_takes_entry_signature(world, expected):
    ns, g = world
    assert bind(ns, g, "py1", "/mod/py0/calc/add", expected).signature == ADD


def test_bind_signature_mismatch_names_both(world):
    ns, g = world
    with pytest.raises(SignatureError) as info:
        bind(ns, g, "py1", "/mod/py0/calc/add", "func(a: s32) -> s32")
    assert str(info.value).endswith(
        "cannot bind /mod/py0/calc/add: expected func(a: s32) -> s32, entry has func(a: s32, b: s32) -> s32"
    )


def test_bind_bad_expected_text(world):
    ns, g = world
    with pytest.raises(SignatureError, match="unknown type 's33' at column 9"):
        bind(ns, g, "py1", "/mod/py0/calc/add", "func(a: s33)")


def test_bind_accepts_signature_object(world):
    ns, g = world
    assert bind(ns, g, "py1", "/mod/py0/calc/add", ADD).signature is ADD


def test_bind_missing(world):
    ns, g = world
    with pytest.raises(NoSuchObject, match="no entry at /mod/py0/calc/mul"):
        bind(ns, g, "py1", "/mod/py0/calc/mul", None)


def test_bind_without_grant(world):
    ns, g = world
    with pytest.raises(AccessViolation) as info:
        bind(ns, g, "py1", "/mod/py0/x", None)
    assert str(info.value) == "E_OACV: vm 'py1' may not bind /mod/py0/x (no grant)"
    assert bind(ns, g, "py0", "/mod/py0/x", None).entry.owner == "py0"  # the owner may


def test_bind_owner_only(world):
    ns, g = world
    g.allow("py1", "/**")
    with pytest.raises(AccessViolation, match=r"vm 'py1' may not bind /mod/py0/own \(owner only\)"):
        bind(ns, g, "py1", "/mod/py0/own", None)


def test_rights_checked_before_signature(world):
    ns, g = world
    with pytest.raises(AccessViolation):
        bind(ns, g, "py2", "/mod/py0/calc/add", "func(a: s33)")


def test_objects_bind_without_signature_but_not_with_one(world):
    ns, g = world
    b = bind(ns, g, "py2", "/os/sem/1", None)
    assert b.signature is None and b.entry.kind is EntryKind.OBJECT
    with pytest.raises(SignatureError, match="cannot bind /os/sem/1: expected func\\(\\), entry is a object"):
        bind(ns, g, "py2", "/os/sem/1", "func()")


def test_late_binding_follows_replacement(world):
    ns, g = world
    b = bind(ns, g, "py1", "/mod/py0/calc/add", "func(a: s32, b: s32) -> s32")
    assert b.current(ns, g).procedure == "add0"
    new = Entry("/mod/py0/calc/add", EntryKind.PROCEDURE, ADD, "py0", procedure="add1")
    ns.publish(new, replace=True)
    assert b.current(ns, g) is new
    assert b.entry is new and b.generation == ns.generation


def test_late_binding_refuses_changed_type(world):
    ns, g = world
    b = bind(ns, g, "py1", "/mod/py0/calc/add", None)
    ns.publish(Entry("/mod/py0/calc/add", EntryKind.PROCEDURE, parse_signature("func(a: s64) -> s64"), "py0"), replace=True)
    with pytest.raises(SignatureError, match="entry has func\\(a: s64\\) -> s64"):
        b.current(ns, g)


def test_late_binding_after_removal(world):
    ns, g = world
    b = bind(ns, g, "py1", "/mod/py0/calc/add", None)
    ns.remove("/mod/py0/calc/add")
    with pytest.raises(NoSuchObject):
        b.current(ns, g)


def test_late_binding_rechecks_rights(world):
    ns, g = world
    b = bind(ns, g, "py1", "/mod/py0/calc/add", None)
    ns.publish(Entry("/mod/py0/calc/add", EntryKind.PROCEDURE, ADD, "py0", rights="owner"), replace=True)
    with pytest.raises(AccessViolation):
        b.current(ns, g)
