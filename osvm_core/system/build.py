"""Building a running system from a checked spec: board, kernel, VMs, objects, modules, tasks."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from ..errors import OsvmError
from ..kernel.kernel import Kernel
from ..plugins import PluginError, PluginSet
from ..registry import Registry
from .spec import SystemFileError, SystemSpec

DEFAULT_HALS = ("sh3", "virt")  # the first installed one is the default board


@dataclass
class System:
    spec: SystemSpec
    kernel: Kernel


def default_hal(registry: Registry) -> str:
    for name in DEFAULT_HALS:
        if name in registry.tables["hal"]:
            return name
    names = registry.names("hal")
    if not names:
        raise PluginError("no board (HAL) is installed; install osvm-hal-virt")
    return names[0]


def build_system(spec: SystemSpec, plugins: PluginSet | None, registry: Registry, *,
                 console_out: Callable[[bytes], None] | None = None, trace: bool = False,
                 diagnostics: Callable[[str], None] | None = None,
                 hal_extra: dict[str, Any] | None = None) -> System:
    """Compose the system; problems with the file's content are SystemFileErrors."""
    file = spec.file

    def lookup(kind: str, name: str, key: str) -> Any:
        try:
            return registry.get(kind, name).factory
        except PluginError as error:
            raise SystemFileError(file, key, str(error)) from None

    hal_name = spec.hal or default_hal(registry)
    hal_options = dict(spec.hal_options)
    if console_out is not None:
        hal_options.setdefault("console_out", console_out)
    hal_options.update(hal_extra or {})
    try:
        board = lookup("hal", hal_name, "system.hal")(hal_options)
    except (ValueError, TypeError) as error:
        raise SystemFileError(file, "hal", str(error)) from None
    kernel = Kernel(board, plugins=plugins, quantum=spec.quantum, seed=spec.seed, trace=trace,
                    diagnostics=diagnostics)
    kernel.default_allocator = lookup("allocator", spec.allocator, "system.allocator")
    kernel.watchdog = spec.watchdog
    if spec.flat:
        try:
            kernel.set_flat(lookup("scheduler", spec.scheduler, "system.scheduler")(spec.scheduler_options))
        except OsvmError as error:
            raise SystemFileError(file, "system.scheduler_options", str(error)) from None

    for index, vm_spec in enumerate(spec.vms):
        key = f"vm[{index}]"
        vm_factory = lookup("vm", vm_spec.kind, f"{key}.kind")
        policy_factory = None if spec.flat else lookup("scheduler", vm_spec.scheduler, f"{key}.scheduler")
        allocator = lookup("allocator", vm_spec.allocator, f"{key}.allocator")
        try:
            vm = vm_factory(vm_spec.name, vm_spec.options)
        except OsvmError as error:
            raise SystemFileError(file, f"{key}.options", str(error)) from None
        try:
            policy = None if policy_factory is None else policy_factory(vm_spec.scheduler_options)
        except OsvmError as error:
            raise SystemFileError(file, f"{key}.scheduler_options", str(error)) from None
        try:
            kernel.add_vm(vm, policy, share=vm_spec.share, memory=vm_spec.memory, allocator=allocator)
        except OsvmError as error:
            raise SystemFileError(file, f"{key}.memory", str(error)) from None

    for obj in spec.objects:
        v = obj.values
        try:
            if obj.kind == "sem":
                kernel.create_semaphore(obj.name, v["count"], v["max"], v["order"])
            elif obj.kind == "mtx":
                kernel.create_mutex(obj.name, v["protocol"], v.get("ceiling"), v["order"])
            elif obj.kind == "port":
                kernel.create_port(obj.name, v["capacity"], v["order"])
            elif obj.kind == "mpf":
                kernel.create_fixed_pool(obj.name, v["block"], v["count"], v["order"])
            else:
                allocator = lookup("allocator", v["allocator"], f"{obj.key}.allocator")
                kernel.create_variable_pool(obj.name, v["size"], v["order"], allocator=allocator)
        except OsvmError as error:
            raise SystemFileError(file, obj.key, str(error)) from None

    for vm_name, pattern in spec.grants:
        kernel.grants.allow(vm_name, pattern)

    for vm_spec in spec.vms:
        vm = kernel.vms[vm_spec.name]
        for module in vm_spec.modules:
            source = module.file.read_bytes()
            module_obj = vm.load(module.name, source, str(module.file))   # bad input raises with file:line
            kernel.publish_module(vm, module_obj)
    kernel.link_all()

    for task_spec in spec.tasks:
        entry = kernel.names.get(task_spec.entry)
        if entry is None:
            raise SystemFileError(file, f"{task_spec.key}.entry",
                                  f"no entry at {task_spec.entry} (exports of VM '{task_spec.vm}': "
                                  f"{_exports(kernel, task_spec.vm)})")
        if entry.owner != task_spec.vm:
            raise SystemFileError(file, f"{task_spec.key}.entry",
                                  f"{task_spec.entry} belongs to VM '{entry.owner}', not '{task_spec.vm}'")
        try:
            task = kernel.create_task(task_spec.name, task_spec.vm, entry, priority=task_spec.priority,
                                      args=tuple(task_spec.args), attrs=task_spec.attrs)
            task.attrs.setdefault("initial_priority", task_spec.priority)
            if task_spec.start:
                kernel.activate(task)
        except OsvmError as error:
            raise SystemFileError(file, task_spec.key, str(error)) from None
    return System(spec, kernel)


def _exports(kernel: Kernel, vm_name: str) -> str:
    paths = [entry.path for entry in kernel.names.walk(f"/mod/{vm_name}")]
    return ", ".join(paths) if paths else "none"
