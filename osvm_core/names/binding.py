"""Binding: an importer's checked reference to an entry of the names tree.

A bind looks the path up, applies the entry's rights and compares the
importer's expected signature with the entry's, as Inferno's Dis checks a
signature hash at load.  The binding remembers the tree's generation so a
later call can tell cheaply whether the entry may have been replaced.
"""

from __future__ import annotations

from dataclasses import dataclass

from osvm_core.errors import AccessViolation, SignatureError
from osvm_core.names.grants import Grants
from osvm_core.names.signature import Signature, check_bind, parse_signature
from osvm_core.names.tree import Entry, Namespace

__all__ = ["Binding", "bind"]


@dataclass(slots=True)
class Binding:
    """What ``importer`` bound at ``path``; ``signature`` is the one it expects (None for objects)."""

    path: str
    entry: Entry
    signature: Signature | None
    importer: str
    generation: int = 0

    def current(self, namespace: Namespace, grants: Grants) -> Entry:
        """The entry to call now: the bound one, or its replacement if the tree changed.

        A replacement must still be permitted and have the same types, so late
        binding never hands a caller a function it did not agree to.
        """
        if namespace.generation == self.generation:
            return self.entry
        entry = namespace.lookup(self.path)
        if entry is not self.entry:
            _permit(grants, self.importer, self.path, entry)
            _match(self.path, entry, self.signature)
            self.entry = entry
        self.generation = namespace.generation
        return entry


def _permit(grants: Grants, importer: str, path: str, entry: Entry) -> None:
    if not grants.permits(importer, entry):
        reason = "owner only" if entry.rights == "owner" else "no grant"
        raise AccessViolation(f"vm {importer!r} may not bind {path} ({reason})")


def _match(path: str, entry: Entry, expected: Signature | None) -> None:
    if expected is None:
        return
    if entry.signature is None:
        raise SignatureError(f"cannot bind {path}: expected {expected}, entry is a {entry.kind} without a signature")
    check_bind(path, expected, entry.signature)


def bind(
    namespace: Namespace,
    grants: Grants,
    importer: str,
    path: str,
    expected_signature_text: str | Signature | None = None,
) -> Binding:
    """Bind ``importer`` to ``path``; NoSuchObject, AccessViolation or SignatureError say why not.

    With no expected signature (None or "") the entry's own is accepted.
    """
    entry = namespace.lookup(path)
    _permit(grants, importer, path, entry)
    if isinstance(expected_signature_text, Signature):
        expected: Signature | None = expected_signature_text
    elif expected_signature_text is None or not expected_signature_text.strip():
        expected = None
    else:
        expected = parse_signature(expected_signature_text)
    _match(path, entry, expected)
    signature = expected if expected is not None else entry.signature
    return Binding(path, entry, signature, importer, namespace.generation)
