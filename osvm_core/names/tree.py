"""The system-wide names tree: typed entries at '/'-separated paths.

OS services (``/os/...``), device ports (``/dev/...``) and module exports
(``/mod/<vm>/<module>/<symbol>``) all live in one tree, so a VM finds any of
them the same way.  ``generation`` changes on every publish/remove, which lets
a binding notice cheaply that it must look its entry up again (late binding).
"""

from __future__ import annotations

import enum
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from osvm_core.errors import NoSuchObject, ObjectStateError, ParameterError
from osvm_core.names.signature import Signature

__all__ = ["RIGHTS", "Entry", "EntryKind", "Namespace", "split_path"]

RIGHTS = ("public", "granted", "owner")
_SEGMENT_RE = re.compile(r"[A-Za-z0-9_.-]+\Z")


class EntryKind(enum.Enum):
    """What an entry names: it decides how a caller reaches it."""

    SERVICE = "service"  # an OS system call
    PROCEDURE = "procedure"  # an export of a module loaded in a VM
    OBJECT = "object"  # a kernel object: semaphore, memory pool, ...
    PORT = "port"  # a message port (devices, interrupts)

    def __str__(self) -> str:
        return self.value


@dataclass
class Entry:
    """Symbol, procedure and signature, plus who owns it and who may bind it.

    ``rights``: "public" anyone may bind; "granted" needs a grant (or being the
    owner); "owner" only the owner.  ``procedure`` is whatever the owner (a VM
    or the kernel) needs to reach the callable or object.
    """

    path: str
    kind: EntryKind
    signature: Signature | None
    owner: str
    procedure: Any = None
    rights: str = "granted"
    doc: str = ""

    def __post_init__(self) -> None:
        split_path(self.path)
        if self.path == "/":
            raise ParameterError("the root '/' cannot hold an entry")
        if self.rights not in RIGHTS:
            raise ParameterError(f"bad rights {self.rights!r} for {self.path}: expected one of {', '.join(RIGHTS)}")
        if not isinstance(self.kind, EntryKind):
            raise ParameterError(f"bad kind {self.kind!r} for {self.path}: expected an EntryKind")
        if self.signature is None and self.kind in (EntryKind.SERVICE, EntryKind.PROCEDURE):
            raise ParameterError(f"{self.kind} {self.path} needs a signature")

    @property
    def name(self) -> str:
        return self.path.rsplit("/", 1)[-1]

    def describe(self) -> str:
        """One line for listings: ``add  func(a: s32) -> s32  (procedure, owner py1)``."""
        extra = "" if self.rights == "granted" else f", {self.rights}"
        info = f"({self.kind}, owner {self.owner}{extra})"
        if self.signature is None:
            return f"{self.name}  {info}"
        return f"{self.name}  {self.signature}  {info}"


def split_path(path: str) -> tuple[str, ...]:
    """The segments of an absolute path ('/' gives ()); ParameterError names a bad path.

    One trailing '/' is tolerated so ``ls /mod/`` works; '.' and '..' are refused
    because the tree has no notion of a current directory.
    """
    if not isinstance(path, str) or not path.startswith("/"):
        raise ParameterError(f"bad path {path!r}: must be absolute (start with '/')")
    if path == "/":
        return ()
    body = path[1:-1] if path.endswith("/") else path[1:]
    segments = tuple(body.split("/"))
    for seg in segments:
        if not _SEGMENT_RE.match(seg) or seg in (".", ".."):
            shown = repr(seg) if seg else "an empty segment"
            raise ParameterError(f"bad path {path!r}: {shown} is not a valid name (use [A-Za-z0-9_.-])")
    return segments


@dataclass
class _Node:
    entry: Entry | None = None
    children: dict[str, _Node] = field(default_factory=dict)


class Namespace:
    """A tree of nodes; a node may hold an entry, children, or both."""

    def __init__(self) -> None:
        self._root = _Node()
        self.generation = 0

    # -- navigation

    def _find(self, segments: tuple[str, ...]) -> _Node | None:
        node = self._root
        for seg in segments:
            child = node.children.get(seg)
            if child is None:
                return None
            node = child
        return node

    def _nearest(self, segments: tuple[str, ...]) -> str:
        node = self._root
        depth = 0
        for seg in segments:
            child = node.children.get(seg)
            if child is None:
                break
            node, depth = child, depth + 1
        return "/" + "/".join(segments[:depth])

    def _missing(self, path: str, segments: tuple[str, ...]) -> NoSuchObject:
        node = self._find(segments)
        if node is not None:
            return NoSuchObject(f"{path} is a directory, not an entry")
        return NoSuchObject(f"no entry at {path} (nearest existing: {self._nearest(segments)})")

    # -- changes

    def publish(self, entry: Entry, replace: bool = False) -> None:
        """Add ``entry`` at its path; an existing entry is an error unless ``replace``."""
        segments = split_path(entry.path)
        if not segments:
            raise ParameterError("the root '/' cannot hold an entry")
        node = self._root
        for seg in segments:
            node = node.children.setdefault(seg, _Node())
        if node.entry is not None and not replace:
            raise ObjectStateError(f"{entry.path} is already published (owner {node.entry.owner})")
        node.entry = entry
        self.generation += 1

    def remove(self, path: str) -> Entry:
        """Take the entry at ``path`` out of the tree and return it; empty directories go too."""
        segments = split_path(path)
        trail = [self._root]
        for seg in segments:
            child = trail[-1].children.get(seg)
            if child is None:
                raise self._missing(path, segments)
            trail.append(child)
        node = trail[-1]
        if node.entry is None:
            raise self._missing(path, segments)
        entry, node.entry = node.entry, None
        for depth in range(len(segments), 0, -1):
            node = trail[depth]
            if node.entry is not None or node.children:
                break
            del trail[depth - 1].children[segments[depth - 1]]
        self.generation += 1
        return entry

    # -- queries

    def get(self, path: str) -> Entry | None:
        """The entry at ``path``, or None (the path must still be well-formed)."""
        node = self._find(split_path(path))
        return None if node is None else node.entry

    def lookup(self, path: str) -> Entry:
        """The entry at ``path``; NoSuchObject names the path and the nearest existing parent."""
        segments = split_path(path)
        node = self._find(segments)
        if node is None or node.entry is None:
            raise self._missing(path, segments)
        return node.entry

    def exists(self, path: str) -> bool:
        """True if ``path`` is an entry or a directory."""
        return self._find(split_path(path)) is not None

    def children(self, path: str = "/") -> list[tuple[str, Entry | None]]:
        """Direct children sorted by name; the entry is None for a pure directory."""
        segments = split_path(path)
        node = self._find(segments)
        if node is None:
            raise NoSuchObject(f"no such directory {path} (nearest existing: {self._nearest(segments)})")
        return [(name, node.children[name].entry) for name in sorted(node.children)]

    def introspect(self, path: str = "/") -> str:
        """A listing of ``path``'s children (D-Bus Introspect style), one per line.

        Entries show their signature, kind and owner; directories end in '/'.
        A node with both an entry and children shows both lines.  For a leaf
        entry the listing is that entry's own line.
        """
        segments = split_path(path)
        node = self._find(segments)
        if node is None:
            raise NoSuchObject(f"nothing at {path} (nearest existing: {self._nearest(segments)})")
        if not node.children and node.entry is not None:
            return node.entry.describe()
        lines = []
        for name in sorted(node.children):
            child = node.children[name]
            if child.entry is not None:
                lines.append(child.entry.describe())
            if child.children:
                lines.append(f"{name}/")
        return "\n".join(lines)

    def walk(self, prefix: str = "/") -> Iterator[Entry]:
        """Every entry at or below ``prefix``, depth first in sorted order."""
        node = self._find(split_path(prefix))
        if node is None:
            return iter(())
        return self._walk(node)

    def _walk(self, node: _Node) -> Iterator[Entry]:
        if node.entry is not None:
            yield node.entry
        for name in sorted(node.children):
            yield from self._walk(node.children[name])

    def __contains__(self, path: str) -> bool:
        return self.get(path) is not None

    def __len__(self) -> int:
        return sum(1 for _ in self.walk())
