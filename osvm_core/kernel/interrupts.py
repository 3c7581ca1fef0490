"""Interrupts as messages: one OS interrupt task per board line, and upcall tasks.

A raw handler is never given to a VM (the paper's security point). The
interrupt task of a line acknowledges the device and posts the payload to the
line's port ``/dev/<line>``; upper layers receive from the port, or register an
entry as an *upcall*: a task of the registering VM that receives each message
and calls the entry with it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from ..events import Call, Exited
from ..names.binding import Binding
from ..names.tree import Entry, EntryKind
from ..vm import VM
from .port import Port
from .task import Frame, Task
from .wait import TMO_FEVR

if TYPE_CHECKING:
    from ..board import InterruptLine
    from ..errors import OsvmError
    from .kernel import Kernel

#: Cycles an interrupt task spends acknowledging the device and posting the message.
INTERRUPT_CYCLES = 40
#: Default capacity of a device port.
DEVICE_PORT_CAPACITY = 8


def _os_binding(kernel: Kernel, path: str, importer: str = "kernel") -> Binding:
    entry = kernel.names.lookup(path)
    return Binding(path=path, entry=entry, signature=entry.signature, importer=importer,
                   generation=kernel.names.generation)


@dataclass
class _InterruptContext:
    line: InterruptLine
    port: Port
    wait: Binding
    raised: bool = False


class InterruptVM(VM):
    """Runs the kernel's interrupt tasks: acknowledge, post, wait for the line again."""

    kind = "kernel-interrupt"

    def run(self, context: _InterruptContext, budget: int) -> Call:
        used = 0
        if context.raised:
            context.raised = False
            payload = self.kernel.board.acknowledge(context.line.number)
            context.port.post(payload)
            used = INTERRUPT_CYCLES
        return Call(used, context.wait, (context.line.number,))

    def deliver(self, context: _InterruptContext, value: Any) -> None:
        context.raised = True

    def fail(self, context: _InterruptContext, error: OsvmError) -> None:
        context.raised = False

    def describe(self, context: _InterruptContext) -> str:
        return f"interrupt line {context.line.number} ({context.line.name})"


def install_interrupt_tasks(kernel: Kernel) -> dict[int, Task]:
    """A port /dev/<name> and an interrupt task for every line the board declares."""
    vm = InterruptVM("kernel")
    vm.attach(kernel)
    kernel.internal_vms.append(vm)
    wait = _os_binding(kernel, "/os/int/wait")
    tasks: dict[int, Task] = {}
    for line in kernel.board.lines:
        port = Port(kernel, line.name, DEVICE_PORT_CAPACITY)
        kernel.device_ports[line.number] = port
        kernel.names.publish(Entry(path=f"/dev/{line.name}", kind=EntryKind.PORT, signature=None,
                                   owner="os", procedure=port, rights="public",
                                   doc=f"messages of interrupt line {line.number} ({line.signature})"))
        frame = Frame(vm, _InterruptContext(line, port, wait))
        task = kernel.create_task(f"int.{line.name}", "kernel", None, priority=line.priority,
                                  daemon=True, frame=frame, attrs={"line": line})
        kernel.activate(task)
        tasks[line.number] = task
    return tasks


@dataclass
class _UpcallContext:
    port: Port
    handler: Binding
    receive: Binding
    message: Any = None
    calling: bool = False
    closed: bool = False


class UpcallVM(VM):
    """Runs upcall tasks: receive a message, call the handler entry with it, repeat."""

    kind = "kernel-upcall"

    def run(self, context: _UpcallContext, budget: int) -> Call | Exited:
        if context.closed:
            return Exited(0, 0)
        if context.calling:
            return Call(0, context.handler, (context.message,))
        return Call(0, context.receive, (context.port.id, TMO_FEVR))

    def deliver(self, context: _UpcallContext, value: Any) -> None:
        if context.calling:
            context.calling = False
            context.message = None
        else:
            context.calling = True
            context.message = value

    def fail(self, context: _UpcallContext, error: OsvmError) -> None:
        if context.calling:
            context.calling = False
            self.kernel.diagnostics(f"osvm: upcall {context.handler.path} failed: {error}")
        else:
            context.closed = True   # the port was deleted

    def describe(self, context: _UpcallContext) -> str:
        return f"upcall of port {context.port.label} to {context.handler.path}"


def register_upcall(kernel: Kernel, vm_name: str, port: Port, handler: Binding, priority: int) -> Task:
    """A task of VM ``vm_name`` that calls ``handler`` with each message of ``port``."""
    port.listened = True
    vm = UpcallVM(f"{vm_name}.upcall")
    vm.attach(kernel)
    kernel.internal_vms.append(vm)
    context = _UpcallContext(port, handler, _os_binding(kernel, "/os/port/receive", vm_name))
    task = kernel.create_task(f"upcall.{port.label}.{handler.entry.name}", vm_name, None,
                              priority=priority, daemon=True, frame=Frame(vm, context))
    kernel.activate(task)
    return task
