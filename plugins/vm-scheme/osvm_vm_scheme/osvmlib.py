"""The ``(osvm)`` library: the names tree and the OS services for Scheme programs.

Syntax (top level of a module):

* ``(define-export (name arg ...) "func(...) -> T" body ...)`` — define and publish at
  ``/mod/<vm>/<module>/<name>``; other VMs (and tasks) call it with that signature.
* ``(define-import name "/path/of/entry" "func(...) -> T")`` — bound when the system links
  (grants and signatures are checked then); calling ``name`` is a call into that entry.

Procedures: ``osvm-bind`` (bind at run time), ``os-call`` (any ``/os`` service), tasks
(``spawn``, ``task-create``, ``task-activate``, ``task-self``, ``task-delay``, ``task-sleep``,
``task-wakeup``, ``task-rotate``), semaphores (``sem-open``, ``make-semaphore``, ``sem-wait``,
``sem-poll``, ``sem-signal``, ``sem-count``), message ports (``port-open``, ``make-port``,
``port-send``, ``port-receive``), ``console-write``, ``now``, ``clock-hz``, ``random``,
``names-list``, and OS errors (``os-error?``, ``os-error-code``).
"""

from __future__ import annotations

from typing import Any

from osvm_core.errors import CODE_NAMES, OsvmError
from osvm_core.names.signature import Handle, parse_signature
from osvm_core.names.tree import Entry, EntryKind
from osvm_core.vm import Export, Import

from .bridge import lift_result, lower
from .compiler import Compiler, L, _list_items, kw
from .forms import special
from .machine import Context, KernelRequest, Procedure, Thunk
from .primitives.registry import PRIMITIVES
from .syntax import Quoted, TopEnv, base_symbol, is_ident, strip
from .values import Cell, ErrorObject, MString, Pair, error, sym

OSVM_NAMES = """define-export define-import osvm-bind os-call spawn task-create task-activate task-self
    task-delay task-sleep task-wakeup task-rotate task-exit sem-open make-semaphore sem-wait sem-poll
    sem-signal sem-count port-open make-port port-send port-receive console-write now clock-hz random
    names-list os-error? os-error-code handle? handle-kind handle-id"""

TMO_FEVR = -1


class ImportProc(Procedure):
    """A procedure standing for an entry of the names tree: calling it is a kernel Call."""

    __slots__ = ("path", "signature", "name", "binding")

    def __init__(self, path: str, signature: Any, name: str, binding: Any = None) -> None:
        self.path = path
        self.signature = signature
        self.name = name
        self.binding = binding

    def write_repr(self) -> str:
        return f"#<entry {self.path}>"

    def apply(self, m: Context, args: list[Any]) -> None:
        if self.binding is None:
            raise error(f"{self.name}: {self.path} is not bound (the module was not linked)", kind="os")
        params = self.signature.params
        if len(args) != len(params):
            raise error(f"{self.name}: {self.path} takes {len(params)} arguments ({self.signature}), "
                        f"got {len(args)}", kind="arity")
        lowered = tuple(lower(p.type, a, f"argument {p.name} of {self.path}") for p, a in zip(params, args,
                                                                                            strict=True))
        signature = self.signature

        def reply(m: Context, value: Any) -> None:
            m.val = lift_result(signature, value)
            m.node = None
        raise KernelRequest(self.binding, lowered, reply)


class ExportRef:
    """What an exported entry's ``procedure`` is: the module and the variable to call."""

    def __init__(self, module: Any, cell: Cell, name: str) -> None:
        self.module = module
        self.cell = cell
        self.name = name


class MainRef:
    """The implicit ``main`` of a module: run its top level."""

    def __init__(self, module: Any) -> None:
        self.module = module


class SpawnRef:
    """A procedure started as a task by ``spawn``."""

    def __init__(self, proc: Any, module: Any = None) -> None:
        self.proc = proc
        self.module = module


def os_error(err: OsvmError) -> ErrorObject:
    name = CODE_NAMES.get(err.code, str(err.code))
    return ErrorObject(str(err), [sym(name)], kind="os", code=err.code)


# ---------------------------------------------------------------- syntax


def _string(c: Compiler, x: Any, what: str) -> str:
    value = strip(x)
    if type(value) is not MString:
        raise c.fail(f"{what} must be a string", x)
    return value.s


def _signature(c: Compiler, text: str, what: str) -> Any:
    try:
        return parse_signature(text)
    except OsvmError as e:
        raise c.fail(f"{what}: {e}") from None


def _top_define_export(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    items = _list_items(x.cdr, "define-export")
    if len(items) < 3:
        raise c.fail('define-export: expected (define-export (name arg ...) "signature" body ...)')
    target = items[0]
    text = _string(c, items[1], "define-export: the signature")
    _signature(c, text, "define-export")
    if type(target) is Pair:
        name = target.car
        form = L(kw("define"), target, *items[2:])
    else:
        name = target
        if len(items) != 3:
            raise c.fail('define-export: expected (define-export name "signature" expression)')
        form = L(kw("define"), target, items[2])
    if not is_ident(name):
        raise c.fail("define-export: the name must be an identifier", name)
    module = c.unit.module
    if module is None:
        raise c.fail("define-export: only in a module loaded by the VM")
    out = c.comp_top(form, top)
    cell = top.define_cell(base_symbol(name))
    export_name = base_symbol(name).name
    if any(e.name == export_name for e in module.exports):
        raise c.fail(f"define-export: {export_name} is exported twice")
    module.exports.append(Export(export_name, text, ExportRef(module, cell, export_name),
                                 doc=f"scheme {export_name}"))
    return out


def _top_define_import(c: Compiler, x: Any, top: TopEnv) -> list[Any]:
    items = _list_items(x.cdr, "define-import")
    if len(items) != 3 or not is_ident(items[0]):
        raise c.fail('define-import: expected (define-import name "/path" "signature")')
    path = _string(c, items[1], "define-import: the path")
    text = _string(c, items[2], "define-import: the signature")
    signature = _signature(c, text, "define-import")
    module = c.unit.module
    if module is None:
        raise c.fail("define-import: only in a module loaded by the VM; use osvm-bind at run time")
    proc = ImportProc(path, signature, base_symbol(items[0]).name)
    module.imports.append(Import(path, text, proc))
    return c.comp_top(L(kw("define"), items[0], Quoted(proc)), top)


@special("define-export", _top_define_export)
def _define_export(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define-export: allowed only at the top level of a module")


@special("define-import", _top_define_import)
def _define_import(c: Compiler, x: Any, scope: Any) -> Any:
    raise c.fail("define-import: allowed only at the top level of a module")


# ---------------------------------------------------------------- system calls


def _vm(m: Context) -> Any:
    if m.vm is None:
        raise error("OS services are not available here", kind="os")
    return m.vm


def request(m: Context, path: str, args: tuple[Any, ...], convert: Any = None) -> None:
    """Call the ``/os`` service at ``path``; ``convert(m, value)`` makes the Scheme result."""
    vm = _vm(m)
    binding = vm.os_binding(path)
    signature = binding.entry.signature
    lowered = tuple(lower(p.type, a, f"argument {p.name} of {path}") for p, a in zip(signature.params, args,
                                                                                   strict=False))

    def reply(m: Context, value: Any) -> None:
        m.val = convert(m, value) if convert is not None else lift_result(signature, value)
        m.node = None
    raise KernelRequest(binding, lowered, reply)


def service(name: str, path: str, low: int, defaults: tuple[Any, ...] = (), convert: Any = None) -> None:
    """A Scheme procedure ``name`` calling ``path``; missing trailing arguments take ``defaults``."""
    from .machine import Control

    total = low + len(defaults)

    def fn(m: Context, args: list[Any]) -> None:
        full = list(args) + list(defaults[len(args) - low:])
        request(m, path, tuple(full), convert)
    PRIMITIVES[name] = Control(fn, name, low, total)


service("task-self", "/os/task/self", 0)
service("task-activate", "/os/task/activate", 1)
service("task-delay", "/os/task/delay", 1)
service("task-sleep", "/os/task/sleep", 0, (TMO_FEVR,))
service("task-wakeup", "/os/task/wakeup", 1)
service("task-rotate", "/os/task/rotate", 0)
service("task-create", "/os/task/create", 2, (1,))
service("sem-open", "/os/sem/open", 1)
service("make-semaphore", "/os/sem/create", 2, (MString("fifo"),))
service("sem-wait", "/os/sem/wait", 1, (TMO_FEVR,))
service("sem-poll", "/os/sem/poll", 1)
service("sem-signal", "/os/sem/signal", 1)
service("sem-count", "/os/sem/count", 1)
service("port-open", "/os/port/open", 1)
service("make-port", "/os/port/create", 1)
service("port-send", "/os/port/send", 2, (TMO_FEVR,))
service("port-receive", "/os/port/receive", 1, (TMO_FEVR,))
service("console-write", "/os/console/write", 1)
service("now", "/os/time/now", 0)
service("clock-hz", "/os/time/hz", 0)
service("random", "/os/sys/random", 1)
service("names-list", "/os/names/list", 1)


def _task_exit(m: Context, args: list[Any]) -> None:
    from .primitives.control import exit_
    exit_(m, *args)


def _os_call(m: Context, args: list[Any]) -> None:
    if not args or type(args[0]) is not MString:
        raise error("os-call: the first argument is the path of an /os service", *args[:1], kind="type")
    request(m, args[0].s, tuple(args[1:]))


def _bind(m: Context, args: list[Any]) -> None:
    path, text = args[0], args[1] if len(args) > 1 else MString("")
    if type(path) is not MString or type(text) is not MString:
        raise error("osvm-bind: expected a path and a signature (strings)", *args, kind="type")
    vm = _vm(m)
    signature = parse_signature(text.s) if text.s else None

    def bound(m: Context, handle: Any) -> Any:
        binding = vm.kernel.objects.get("binding", handle)
        return ImportProc(path.s, signature or binding.signature, path.s.rsplit("/", 1)[-1], binding)
    request(m, "/os/names/bind", (path, text), bound)


def _spawn(m: Context, args: list[Any]) -> None:
    name, proc = args[0], args[1]
    priority = args[2] if len(args) > 2 else 1
    if type(name) is not MString:
        raise error("spawn: the task name must be a string", name, kind="type")
    if type(priority) is not int:
        raise error("spawn: the priority must be an exact integer", priority, kind="type")
    vm = _vm(m)
    path = vm.publish_spawn(proc)

    def created(m: Context, handle: Any) -> None:
        def activate(m: Context) -> None:
            def activated(m: Context, _value: Any) -> None:
                m.val = handle
                m.node = None
            raise KernelRequest(vm.os_binding("/os/task/activate"), (handle,), activated)
        m.node = Thunk(activate)
    raise KernelRequest(vm.os_binding("/os/task/create"), (name.s, path, priority), created)


def _register_controls() -> None:
    from .machine import Control
    PRIMITIVES["task-exit"] = Control(_task_exit, "task-exit", 0, 1)
    PRIMITIVES["os-call"] = Control(_os_call, "os-call", 1, None)
    PRIMITIVES["osvm-bind"] = Control(_bind, "osvm-bind", 1, 2)
    PRIMITIVES["spawn"] = Control(_spawn, "spawn", 2, 3)


_register_controls()


def _prim(name: str, fn: Any, low: int, high: int | None) -> None:
    from .machine import Primitive
    PRIMITIVES[name] = Primitive(fn, name, low, high)


_prim("os-error?", lambda x: type(x) is ErrorObject and x.kind == "os", 1, 1)
_prim("os-error-code", lambda x: x.irritants[0] if type(x) is ErrorObject and x.kind == "os" and x.irritants
      else False, 1, 1)
_prim("handle?", lambda x: type(x) is Handle, 1, 1)
_prim("handle-kind", lambda x: sym(x.kind) if type(x) is Handle else False, 1, 1)
_prim("handle-id", lambda x: x.id if type(x) is Handle else False, 1, 1)


def spawn_entry(vm: Any, proc: Any, n: int) -> Entry:
    return Entry(path=f"/mod/{vm.name}/.spawn/t{n}", kind=EntryKind.PROCEDURE, signature=parse_signature("func()"),
                 owner=vm.name, procedure=SpawnRef(proc), doc="a procedure started by spawn")

