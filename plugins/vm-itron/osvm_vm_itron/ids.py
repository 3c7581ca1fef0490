"""μITRON object IDs: per kind, 1 .. TNUM_xxxID, each naming an OS-layer object.

ASP3 objects are static and numbered by the configurator; here the personality
numbers them in the order they join (the scenario runner's configuration, or
the system file's declarations). A reference is an ID, or a name for guests
that prefer the system file's names.
"""

from __future__ import annotations

from typing import Any

from osvm_core.errors import BadId, NoSuchObject, ParameterError

KINDS = ("tsk", "sem", "mpf", "mtx", "alm", "cyc")


class IdTable:
    """Objects of one kind by ID (1-based) and by name."""

    def __init__(self, kind: str) -> None:
        self.kind = kind
        self.items: list[Any] = []
        self.names: dict[str, int] = {}
        self._ids: dict[int, int] = {}      # id(obj) -> ID

    def add(self, obj: Any, name: str | None = None) -> int:
        ident = len(self.items) + 1
        self.items.append(obj)
        self._ids[id(obj)] = ident
        if name is not None:
            self.names[name] = ident
        return ident

    def __len__(self) -> int:
        return len(self.items)

    def __contains__(self, obj: Any) -> bool:
        return id(obj) in self._ids

    def id_of(self, obj: Any) -> int:
        return self._ids.get(id(obj), 0)

    def name_of(self, obj: Any) -> str:
        ident = self.id_of(obj)
        for name, value in self.names.items():
            if value == ident:
                return name
        return f"{self.kind}#{ident}"

    def get(self, ref: Any) -> Any:
        """The object for an ID (E_ID outside 1..TNUM) or a name (E_NOEXS if unknown)."""
        if isinstance(ref, bool):
            raise ParameterError(f"a {self.kind} ID is an integer, not {ref!r}")
        if isinstance(ref, int):
            if not 1 <= ref <= len(self.items):
                raise BadId(f"{self.kind} ID {ref} is outside 1..{len(self.items)}")
            obj = self.items[ref - 1]
            if obj is None:
                raise NoSuchObject(f"{self.kind} ID {ref} is not registered")
            return obj
        if isinstance(ref, str):
            ident = self.names.get(ref)
            if ident is None:
                raise NoSuchObject(f"no {self.kind} named '{ref}'")
            return self.items[ident - 1]
        raise ParameterError(f"a {self.kind} is named by an ID or a name, not {type(ref).__name__}")

    def __iter__(self):
        return iter(obj for obj in self.items if obj is not None)
