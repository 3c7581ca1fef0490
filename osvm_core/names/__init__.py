"""The names tree: one system-wide tree of typed entries (design §9).

Signatures (:mod:`.signature`), the tree itself (:mod:`.tree`), grants
(:mod:`.grants`) and checked bindings (:mod:`.binding`).
"""

from osvm_core.names.binding import Binding, bind
from osvm_core.names.grants import Grants
from osvm_core.names.signature import (
    PRIMITIVES,
    Handle,
    HandleOf,
    ListOf,
    OptionOf,
    Param,
    Prim,
    Signature,
    TupleOf,
    Type,
    check_args,
    check_bind,
    check_result,
    check_value,
    iter_types,
    parse_signature,
    parse_type,
)
from osvm_core.names.tree import RIGHTS, Entry, EntryKind, Namespace, split_path

__all__ = [
    "PRIMITIVES",
    "RIGHTS",
    "Binding",
    "Entry",
    "EntryKind",
    "Grants",
    "Handle",
    "HandleOf",
    "ListOf",
    "Namespace",
    "OptionOf",
    "Param",
    "Prim",
    "Signature",
    "TupleOf",
    "Type",
    "bind",
    "check_args",
    "check_bind",
    "check_result",
    "check_value",
    "iter_types",
    "parse_signature",
    "parse_type",
    "split_path",
]
