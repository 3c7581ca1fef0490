"""The kernel's table of objects (semaphores, mutexes, pools, ports, tasks) by kind, id and name."""

from __future__ import annotations

from typing import Any

from ..errors import BadId, NoSuchObject, ObjectStateError, ParameterError
from ..names.signature import Handle

KINDS = ("task", "sem", "mtx", "mpf", "mpl", "port", "binding")


class ObjectTable:
    """Ids start at 1 per kind; a reference may be a Handle, an int id or a str name."""

    def __init__(self) -> None:
        self.items: dict[str, dict[int, Any]] = {kind: {} for kind in KINDS}
        self.names: dict[str, dict[str, int]] = {kind: {} for kind in KINDS}
        self._next: dict[str, int] = {kind: 1 for kind in KINDS}

    def add(self, kind: str, obj: Any, name: str | None = None) -> int:
        if name is not None and name in self.names[kind]:
            raise ObjectStateError(f"a {kind} named '{name}' already exists")
        ident = self._next[kind]
        self._next[kind] = ident + 1
        self.items[kind][ident] = obj
        if name is not None:
            self.names[kind][name] = ident
        return ident

    def get(self, kind: str, ref: Any) -> Any:
        if type(ref) is Handle:
            if ref.kind != kind:
                raise ParameterError(f"expected a handle<{kind}>, got handle<{ref.kind}>")
            ref = ref.id
        if type(ref) is int:
            obj = self.items[kind].get(ref)
            if obj is None:
                if ref <= 0:
                    raise BadId(f"{kind} id {ref} is out of range")
                raise NoSuchObject(f"no {kind} with id {ref}")
            return obj
        if isinstance(ref, str):
            ident = self.names[kind].get(ref)
            if ident is None:
                raise NoSuchObject(f"no {kind} named '{ref}'")
            return self.items[kind][ident]
        raise ParameterError(f"a {kind} is named by a handle, an id or a name, not {type(ref).__name__}")

    def remove(self, kind: str, ident: int) -> None:
        self.items[kind].pop(ident, None)
        for name, value in list(self.names[kind].items()):
            if value == ident:
                del self.names[kind][name]

    def all(self, kind: str) -> list[Any]:
        return list(self.items[kind].values())
