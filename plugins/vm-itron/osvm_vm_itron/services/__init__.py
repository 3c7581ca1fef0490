"""The μITRON service calls as entries of the names tree, under ``/itron/<name>``.

A service is ``function(kernel, task, *args)`` like the core's ``/os`` services:
it returns the result (None for E_OK), raises an OsvmError carrying the error
code, or returns ``BLOCKED`` after putting the caller into an OS-layer wait.
Each one checks the calling context as ASP3 does, resolves μITRON IDs to the
OS layer's objects and then uses the OS layer's mechanism (see the README's
service table). One module per group, as the μITRON specification groups them.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from osvm_core.names.signature import parse_signature
from osvm_core.names.tree import Entry, EntryKind

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel

PREFIX = "/itron"

#: what a service gives back: ER (E_OK or an error), ER_UINT (a count or an error), ER plus an
#: out-parameter, or a plain value (BOOL of sns_*, HRTCNT of fch_hrt)
ER, ER_UINT, ER_OUT, VALUE = "ER", "ER_UINT", "ER_OUT", "VALUE"


@dataclass(frozen=True)
class Service:
    name: str
    signature: str
    function: Callable[..., Any]
    result: str
    doc: str
    mechanism: str          # the OS-layer mechanism it maps onto (for the README's table)
    handler_name: str = ""  # the μITRON 4.0 name of its non-task-context form (iact_tsk, ...)


SERVICES: dict[str, Service] = {}


def service(name: str, signature: str, *, result: str = ER, mechanism: str,
            handler_name: str = "") -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    def add(function: Callable[..., Any]) -> Callable[..., Any]:
        doc = (function.__doc__ or "").strip().splitlines()[0] if function.__doc__ else ""
        SERVICES[name] = Service(name, signature, function, result, doc, mechanism, handler_name)
        return function
    return add


_loaded = False


def _load() -> None:
    global _loaded
    if _loaded:
        return
    from . import mempfix, mutex, semaphore, sync, system, task, time  # noqa: F401 - they register

    for item in list(SERVICES.values()):
        if item.handler_name:
            SERVICES[item.handler_name] = Service(
                item.handler_name, item.signature, _handler_form(item.handler_name, item.function),
                item.result, f"{item.doc} (non-task context)", item.mechanism)
    _loaded = True


def _handler_form(name: str, base: Callable[..., Any]) -> Callable[..., Any]:
    """The μITRON 4.0 name of a call from non-task context (iact_tsk, ...): E_CTX from a task."""
    def handler(kernel: Kernel, task: Any, *args: Any) -> Any:
        from ..personality import itron_of

        if not itron_of(kernel).in_handler(task):
            from osvm_core.errors import ContextError
            raise ContextError(f"{name} is for non-task context")
        return base(kernel, task, *args)

    handler.__name__ = name
    return handler


def publish(kernel: Kernel) -> None:
    """Publish every service under /itron (once per kernel)."""
    _load()
    for item in SERVICES.values():
        kernel.names.publish(Entry(path=f"{PREFIX}/{item.name}", kind=EntryKind.SERVICE,
                                   signature=parse_signature(item.signature), owner="os",
                                   procedure=item.function, rights="public", doc=item.doc))


def table() -> list[Service]:
    _load()
    return sorted(SERVICES.values(), key=lambda s: s.name)


def markdown_table() -> str:
    """The README's service table, generated from this registry (a test keeps the README in step)."""
    lines = ["| service | from non-task context | returns | OS-layer mechanism |", "|---|---|---|---|"]
    handler_forms = {item.handler_name for item in table() if item.handler_name}
    for item in table():
        if item.name in handler_forms:
            continue
        handler = f"`{item.handler_name}`" if item.handler_name else ""
        lines.append(f"| `{item.name}` | {handler} | {item.result} | {item.mechanism} |")
    return "\n".join(lines) + "\n"
