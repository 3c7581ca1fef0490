"""System files: TOML that names a board, VM instances, kernel objects, tasks and grants.

Reading is separate from building: this module only checks the file and turns
it into dataclasses, so every mistake is reported with the file, the key and
what was expected, before anything runs.
"""

from __future__ import annotations

import re
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from ..errors import OsvmError
from ..sizes import parse_size as _parse_size

_MISSING = object()
_NAME_RE = re.compile(r"[A-Za-z_][A-Za-z0-9_.-]*\Z")


class SystemFileError(OsvmError):
    """A system file is malformed: names the file, the key and what was expected."""

    def __init__(self, file: str, key: str, expected: str) -> None:
        self.file = file
        self.key = key
        self.expected = expected
        super().__init__(f"{file}: {key}: {expected}")

    def __str__(self) -> str:
        return f"{self.file}: {self.key}: {self.expected}"


def parse_size(value: Any) -> int:
    """Bytes from an int or a text such as '64KiB', '16M', '512K' (binary units); 0 is allowed."""
    return _parse_size(value, "size", minimum=0)


@dataclass
class ModuleSpec:
    name: str
    file: Path


@dataclass
class VMSpec:
    name: str
    kind: str
    scheduler: str = "round-robin"
    scheduler_options: dict[str, Any] = field(default_factory=dict)
    allocator: str = "first-fit"
    share: int = 1
    memory: int = 1 << 20
    modules: list[ModuleSpec] = field(default_factory=list)
    options: dict[str, Any] = field(default_factory=dict)


@dataclass
class TaskSpec:
    name: str
    vm: str
    entry: str
    priority: int = 1
    args: list[Any] = field(default_factory=list)
    start: bool = True
    attrs: dict[str, Any] = field(default_factory=dict)
    key: str = ""


@dataclass
class ObjectSpec:
    kind: str          # sem | mtx | port | mpf | mpl
    name: str
    values: dict[str, Any]
    key: str = ""


@dataclass
class SystemSpec:
    file: str
    name: str = "system"
    hal: str | None = None
    hal_options: dict[str, Any] = field(default_factory=dict)
    quantum: int = 2000
    seed: int = 0
    max_cycles: int | None = None
    allocator: str = "first-fit"
    watchdog: int = 0                # cycles a ready task may go unpicked; 0: off
    flat: bool = False               # one domain, one policy over the tasks of every VM
    scheduler: str = "round-robin"   # that policy (flat mode)
    scheduler_options: dict[str, Any] = field(default_factory=dict)
    vms: list[VMSpec] = field(default_factory=list)
    tasks: list[TaskSpec] = field(default_factory=list)
    objects: list[ObjectSpec] = field(default_factory=list)
    grants: list[tuple[str, str]] = field(default_factory=list)
    base: Path = Path(".")


class _Table:
    """Typed access to one TOML table, with the key path for messages."""

    def __init__(self, file: str, where: str, data: Any) -> None:
        if not isinstance(data, dict):
            raise SystemFileError(file, where, f"expected a table, got {type(data).__name__}")
        self.file, self.where, self.data = file, where, data
        self.used: set[str] = set()

    def key(self, name: str) -> str:
        return f"{self.where}.{name}" if self.where else name

    def fail(self, name: str, expected: str) -> SystemFileError:
        return SystemFileError(self.file, self.key(name), expected)

    def get(self, name: str, kind: type | tuple[type, ...], default: Any = _MISSING, what: str = "") -> Any:
        self.used.add(name)
        if name not in self.data:
            if default is _MISSING:
                raise self.fail(name, f"missing; expected {what or _kind_text(kind)}")
            return default
        value = self.data[name]
        if isinstance(value, bool) and kind is int or not isinstance(value, kind):
            raise self.fail(name, f"expected {what or _kind_text(kind)}, got {value!r}")
        return value

    def positive(self, name: str, default: Any = _MISSING) -> int:
        value = self.get(name, int, default, "a positive integer")
        if value is not None and value <= 0:
            raise self.fail(name, f"expected a positive integer, got {value}")
        return value

    def name(self, key: str = "name", default: Any = _MISSING) -> str:
        value = self.get(key, str, default, "a name (letters, digits, _ . -)")
        if value is not None and not _NAME_RE.match(value):
            raise self.fail(key, f"expected a name (letters, digits, _ . -), got {value!r}")
        return value

    def size(self, name: str, default: Any = _MISSING) -> int:
        value = self.get(name, (int, str), default, "a size such as 65536 or '64KiB'")
        try:
            return parse_size(value)
        except ValueError as error:
            raise self.fail(name, str(error)) from None

    def table(self, name: str) -> dict[str, Any]:
        return dict(self.get(name, dict, {}, "a table"))

    def done(self) -> None:
        unknown = sorted(set(self.data) - self.used)
        if unknown:
            known = ", ".join(sorted(self.used))
            raise self.fail(unknown[0], f"unknown key (known keys here: {known})")


def _kind_text(kind: type | tuple[type, ...]) -> str:
    names = {int: "an integer", str: "a string", bool: "true or false", list: "a list",
             dict: "a table", float: "a number"}
    kinds = kind if isinstance(kind, tuple) else (kind,)
    return " or ".join(names.get(k, k.__name__) for k in kinds)


def _list_of_tables(file: str, data: dict[str, Any], key: str) -> list[_Table]:
    items = data.get(key, [])
    if not isinstance(items, list):
        raise SystemFileError(file, key, f"expected an array of tables ([[{key}]]), got {type(items).__name__}")
    return [_Table(file, f"{key}[{index}]", item) for index, item in enumerate(items)]


def read_system_file(path: str | Path) -> SystemSpec:
    """Parse and check a system file; SystemFileError names the file, key and expectation."""
    path = Path(path)
    file = str(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise SystemFileError(file, "(file)", f"cannot read it: {error.strerror or error}") from None
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise SystemFileError(file, "(syntax)", f"not valid TOML: {error}") from None
    return parse_system(data, file, path.parent)


def parse_system(data: dict[str, Any], file: str = "<system>", base: Path = Path(".")) -> SystemSpec:
    top = _Table(file, "", data)
    spec = SystemSpec(file=file, base=base)
    system = _Table(file, "system", top.get("system", dict, {}))
    spec.name = system.get("name", str, "system")
    spec.hal = system.get("hal", str, None)
    spec.quantum = system.positive("quantum", 2000)
    spec.seed = system.get("seed", int, 0)
    spec.max_cycles = system.positive("max_cycles", None)
    spec.allocator = system.get("allocator", str, "first-fit")
    spec.watchdog = system.get("watchdog", int, 0, "cycles, an integer >= 0 (0: off)")
    if spec.watchdog < 0:
        raise system.fail("watchdog", f"expected cycles, an integer >= 0 (0: off), got {spec.watchdog}")
    flat = system.get("flat", bool, None)
    scheduler = system.get("scheduler", str, None)
    spec.scheduler_options = system.table("scheduler_options")
    if flat is False and (scheduler is not None or spec.scheduler_options):
        raise system.fail("scheduler", "a system-level scheduler means flat mode; drop it or flat = false")
    if scheduler is None and not flat and spec.scheduler_options:
        raise system.fail("scheduler_options", "options for which policy? set system.scheduler or flat = true")
    spec.flat = bool(flat) or scheduler is not None
    spec.scheduler = scheduler or "round-robin"
    system.done()
    spec.hal_options = top.table("hal")

    for vm in _list_of_tables(file, data, "vm"):
        top.used.add("vm")
        vm_spec = VMSpec(name=vm.name(), kind=vm.get("kind", str, what="a VM kind such as 'python'"))
        vm_spec.scheduler = vm.get("scheduler", str, "round-robin")
        vm_spec.scheduler_options = vm.table("scheduler_options")
        vm_spec.allocator = vm.get("allocator", str, spec.allocator)
        vm_spec.share = vm.positive("share", 1)
        vm_spec.memory = vm.size("memory", 1 << 20)
        vm_spec.options = vm.table("options")
        for index, item in enumerate(vm.get("load", list, [])):
            if isinstance(item, str):
                vm_spec.modules.append(ModuleSpec(Path(item).stem, base / item))
            elif isinstance(item, dict):
                module = _Table(file, f"{vm.key('load')}[{index}]", item)
                module_file = module.get("file", str)
                vm_spec.modules.append(ModuleSpec(module.name("name", Path(module_file).stem), base / module_file))
                module.done()
            else:
                raise vm.fail(f"load[{index}]", f"expected a file name or {{file=..., name=...}}, got {item!r}")
        for module in vm_spec.modules:
            if not module.file.is_file():
                raise vm.fail("load", f"module file {module.file} does not exist")
        vm.done()
        for key in ("scheduler", "scheduler_options", "share"):
            if spec.flat and key in vm.data:
                raise vm.fail(key, "flat mode runs one policy over every VM (system.scheduler); "
                                   "a VM has no policy or share of its own")
        if any(v.name == vm_spec.name for v in spec.vms):
            raise vm.fail("name", f"a VM named '{vm_spec.name}' is already declared")
        spec.vms.append(vm_spec)
    vm_names = {v.name for v in spec.vms}

    for kind, key in (("sem", "semaphore"), ("mtx", "mutex"), ("port", "port"), ("pool", "pool")):
        for item in _list_of_tables(file, data, key):
            top.used.add(key)
            name = item.name()
            values: dict[str, Any] = {}
            object_kind = kind
            if kind == "sem":
                values["max"] = item.positive("max", 1)
                values["count"] = item.get("count", int, 0)
                if not 0 <= values["count"] <= values["max"]:
                    raise item.fail("count", f"expected 0..max ({values['max']}), got {values['count']}")
            elif kind == "mtx":
                protocol = values["protocol"] = item.get("protocol", str, "none", "'none', 'inherit' or 'ceiling'")
                if protocol not in ("none", "inherit", "ceiling"):
                    raise item.fail("protocol", f"expected 'none', 'inherit' or 'ceiling', got {protocol!r}")
                if protocol == "ceiling":
                    values["ceiling"] = item.positive("ceiling")
                elif "ceiling" in item.data:
                    raise item.fail("ceiling", f"only a 'ceiling' mutex takes a ceiling, not a '{protocol}' one")
            elif kind == "port":
                values["capacity"] = item.get("capacity", int, 8, "an integer >= 0")
                if values["capacity"] < 0:
                    raise item.fail("capacity", "expected an integer >= 0")
            else:
                pool_kind = item.get("kind", str, what="'fixed' or 'variable'")
                if pool_kind == "fixed":
                    object_kind = "mpf"
                    values["block"] = item.size("block")
                    values["count"] = item.positive("count")
                elif pool_kind == "variable":
                    object_kind = "mpl"
                    values["size"] = item.size("size")
                    values["allocator"] = item.get("allocator", str, spec.allocator)
                else:
                    raise item.fail("kind", f"expected 'fixed' or 'variable', got {pool_kind!r}")
            by_priority = kind == "mtx" and values["protocol"] != "none"   # inherit, ceiling
            order = item.get("order", str, "priority" if by_priority else "fifo")
            if order not in ("fifo", "priority"):
                raise item.fail("order", f"expected 'fifo' or 'priority', got {order!r}")
            if by_priority and order != "priority":
                raise item.fail("order", f"a '{values['protocol']}' mutex serves its waiters in priority order")
            values["order"] = order
            item.done()
            spec.objects.append(ObjectSpec(object_kind, name, values, item.where))

    for item in _list_of_tables(file, data, "task"):
        top.used.add("task")
        vm_name = item.get("vm", str, what="the name of a [[vm]]")
        if vm_name not in vm_names:
            raise item.fail("vm", f"expected one of the declared VMs ({', '.join(sorted(vm_names)) or 'none'}), "
                                  f"got {vm_name!r}")
        entry = item.get("entry", str, what="a procedure path such as /mod/<vm>/<module>/main")
        if not entry.startswith("/"):
            entry = f"/mod/{vm_name}/{entry}"
        task = TaskSpec(name=item.name("name", entry.rsplit("/", 2)[-2] if entry.count("/") >= 2 else entry),
                        vm=vm_name, entry=entry, key=item.where)
        task.priority = item.positive("priority", 1)
        task.args = item.get("args", list, [])
        task.start = item.get("start", bool, True)
        task.attrs = item.table("attrs")
        item.done()
        if any(t.name == task.name for t in spec.tasks):
            raise item.fail("name", f"a task named '{task.name}' is already declared")
        spec.tasks.append(task)

    for item in _list_of_tables(file, data, "grant"):
        top.used.add("grant")
        vm_name = item.get("vm", str, what="the name of a [[vm]]")
        if vm_name not in vm_names:
            raise item.fail("vm", f"expected one of the declared VMs, got {vm_name!r}")
        patterns = item.get("bind", (list, str), what="a path pattern or a list of them")
        for pattern in [patterns] if isinstance(patterns, str) else patterns:
            if not isinstance(pattern, str) or not pattern.startswith("/"):
                raise item.fail("bind", f"expected absolute path patterns such as '/mod/py0/**', got {pattern!r}")
            spec.grants.append((vm_name, pattern))
        item.done()
    top.done()
    return spec
