"""The names tree: publish, lookup, remove, listings and path rules."""

import pytest

from osvm_core.errors import NoSuchObject, ObjectStateError, ParameterError
from osvm_core.names import Entry, EntryKind, Namespace, parse_signature, split_path

ADD = parse_signature("func(a: s32, b: s32) -> s32")


def proc(path, owner="py1", sig=ADD, **kw):
    return Entry(path, EntryKind.PROCEDURE, sig, owner, procedure=object(), **kw)


@pytest.fixture
def ns():
    n = Namespace()
    n.publish(proc("/mod/py1/calc/add"))
    n.publish(proc("/mod/py1/calc/sub"))
    n.publish(Entry("/os/sem/1", EntryKind.OBJECT, None, "os", procedure="sem-1"))
    n.publish(Entry("/os/sig_sem", EntryKind.SERVICE, parse_signature("func(s: handle<sem>)"), "os", rights="public"))
    return n


def test_publish_and_lookup(ns):
    e = ns.lookup("/mod/py1/calc/add")
    assert e.owner == "py1" and e.signature == ADD and e.name == "add"
    assert ns.get("/mod/py1/calc/add") is e
    assert ns.get("/mod/py1/calc/mul") is None
    assert ns.get("/mod/py1") is None  # a directory is not an entry
    assert "/os/sem/1" in ns and "/os/sem/2" not in ns
    assert ns.exists("/mod/py1") and not ns.exists("/mod/py2")
    assert len(ns) == 4


def test_publish_twice_names_path_and_owner(ns):
    with pytest.raises(ObjectStateError, match=r"/mod/py1/calc/add is already published \(owner py1\)"):
        ns.publish(proc("/mod/py1/calc/add", owner="py2"))
    assert ns.lookup("/mod/py1/calc/add").owner == "py1"


def test_replace_and_generation(ns):
    g = ns.generation
    new = proc("/mod/py1/calc/add", owner="py2")
    ns.publish(new, replace=True)
    assert ns.lookup("/mod/py1/calc/add") is new
    assert ns.generation == g + 1
    ns.remove("/mod/py1/calc/add")
    assert ns.generation == g + 2
    with pytest.raises(NoSuchObject):
        ns.remove("/mod/py1/calc/add")
    assert ns.generation == g + 2  # a failed change does not count


def test_lookup_missing_names_nearest_parent(ns):
    with pytest.raises(NoSuchObject, match=r"no entry at /mod/py1/calc/mul \(nearest existing: /mod/py1/calc\)"):
        ns.lookup("/mod/py1/calc/mul")
    with pytest.raises(NoSuchObject, match=r"nearest existing: /\)"):
        ns.lookup("/nothing/here")
    with pytest.raises(NoSuchObject, match="/mod/py1 is a directory, not an entry"):
        ns.lookup("/mod/py1")


def test_remove_returns_entry_and_prunes_empty_dirs(ns):
    e = ns.remove("/os/sem/1")
    assert e.procedure == "sem-1"
    assert not ns.exists("/os/sem")
    assert ns.exists("/os")  # still holds sig_sem
    ns.remove("/mod/py1/calc/add")
    assert ns.exists("/mod/py1/calc")
    ns.remove("/mod/py1/calc/sub")
    assert not ns.exists("/mod")
    with pytest.raises(NoSuchObject, match="is a directory"):
        ns.remove("/os")


def test_node_with_entry_and_children():
    n = Namespace()
    n.publish(Entry("/dev/uart", EntryKind.PORT, None, "os"))
    n.publish(Entry("/dev/uart/rx", EntryKind.PORT, None, "os"))
    n.remove("/dev/uart")
    assert n.get("/dev/uart/rx") is not None
    n.publish(Entry("/dev/uart", EntryKind.PORT, None, "os"))
    n.remove("/dev/uart/rx")
    assert n.get("/dev/uart") is not None
    assert n.introspect("/dev") == "uart  (port, owner os)"


def test_children_sorted_with_none_for_directories(ns):
    assert [name for name, _ in ns.children("/")] == ["mod", "os"]
    assert ns.children("/") == [("mod", None), ("os", None)]
    kids = ns.children("/mod/py1/calc")
    assert [name for name, _ in kids] == ["add", "sub"]
    assert all(e is not None for _, e in kids)
    assert ns.children("/os") == [("sem", None), ("sig_sem", ns.lookup("/os/sig_sem"))]
    assert ns.children("/mod/py1/calc/") == kids  # a trailing slash is tolerated
    with pytest.raises(NoSuchObject, match="nearest existing: /mod"):
        ns.children("/mod/py9")


def test_introspect(ns):
    assert ns.introspect("/mod/py1/calc") == (
        "add  func(a: s32, b: s32) -> s32  (procedure, owner py1)\n"
        "sub  func(a: s32, b: s32) -> s32  (procedure, owner py1)"
    )
    assert ns.introspect("/mod/py1") == "calc/"
    assert ns.introspect("/os") == "sem/\nsig_sem  func(s: handle<sem>)  (service, owner os, public)"
    assert ns.introspect("/os/sem") == "1  (object, owner os)"
    assert ns.introspect("/mod/py1/calc/add") == "add  func(a: s32, b: s32) -> s32  (procedure, owner py1)"
    assert Namespace().introspect("/") == ""
    with pytest.raises(NoSuchObject):
        ns.introspect("/zzz")


def test_walk_sorted(ns):
    assert [e.path for e in ns.walk()] == [
        "/mod/py1/calc/add",
        "/mod/py1/calc/sub",
        "/os/sem/1",
        "/os/sig_sem",
    ]
    assert [e.path for e in ns.walk("/os")] == ["/os/sem/1", "/os/sig_sem"]
    assert [e.path for e in ns.walk("/mod/py1/calc/add")] == ["/mod/py1/calc/add"]
    assert list(ns.walk("/nothing")) == []


@pytest.mark.parametrize(
    "path",
    ["mod/x", "", "/mod//x", "/mod/a b", "/mod/ä", "/mod/../x", "/mod/./x", "/mod/x?", "//"],
)
def test_bad_paths_name_the_path(path, ns):
    with pytest.raises(ParameterError) as info:
        ns.lookup(path)
    assert f"bad path {path!r}" in str(info.value)
    with pytest.raises(ParameterError):
        ns.get(path)
    with pytest.raises(ParameterError):
        Entry(path, EntryKind.OBJECT, None, "os")


def test_split_path():
    assert split_path("/") == ()
    assert split_path("/a/b.c/d-e_1") == ("a", "b.c", "d-e_1")
    assert split_path("/a/") == ("a",)
    with pytest.raises(ParameterError):
        split_path(3)  # type: ignore[arg-type]


def test_entry_validation():
    with pytest.raises(ParameterError, match="bad rights 'everyone'"):
        proc("/a", rights="everyone")
    with pytest.raises(ParameterError, match="needs a signature"):
        Entry("/a", EntryKind.PROCEDURE, None, "py1")
    with pytest.raises(ParameterError, match="root"):
        Entry("/", EntryKind.OBJECT, None, "os")
    with pytest.raises(ParameterError, match="EntryKind"):
        Entry("/a", "object", None, "os")  # type: ignore[arg-type]
    assert Entry("/p", EntryKind.PORT, None, "os").signature is None
