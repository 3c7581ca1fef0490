"""The scenario VM: tasks and handlers that perform the runner's calls when they run.

Each task of a scenario (and each handler) is an ordinary OS-layer task whose
frame runs here. When the kernel dispatches it, the frame first reports the
result of its previous call — so an error code is seen *when the caller next
runs*, as TESRY specifies — then issues the next call the runner queued for it
(a ``Call`` of an ``/itron`` service, exactly like any guest), or, with
nothing queued, keeps the processor until the runner's target time and then
asks the kernel to stop. A handler's ``return`` is a ``Returned`` event.
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from osvm_core.errors import E_OK, OsvmError
from osvm_core.events import Call, Preempted, Returned
from osvm_core.vm import VM

if TYPE_CHECKING:
    from .runner import Runner

#: Cycles a scripted frame spends to issue one call (the service itself costs what the kernel charges).
STEP_CYCLES = 10


@dataclass(eq=False)
class Command:
    label: str                  # do_N (and its time key) it comes from
    service: str                # /itron service name; "" for a handler's return
    args: tuple[Any, ...] = ()
    out: str | None = None      # the caller's variable that receives the out-parameter
    text: str = ""              # the call as written in the scenario


@dataclass(eq=False)
class ScriptContext:
    owner: str                                  # TASK1, ALM1, ... (or the runner's idle task)
    commands: deque[Command] = field(default_factory=deque)
    pending: Command | None = None              # issued; its result not yet seen by the caller
    result: tuple[int, Any] | None = None       # (code, value) delivered by the kernel


class ScriptVM(VM):
    kind = "ttsp-script"

    def __init__(self, name: str, runner: Runner) -> None:
        super().__init__(name)
        self.runner = runner
        self._bindings: dict[str, Any] = {}

    def binding(self, service: str) -> Any:
        binding = self._bindings.get(service)
        if binding is None:
            binding = self._bindings[service] = self.kernel.bind(self.name, f"/itron/{service}", None)
        return binding

    def start(self, entry: Any, args: tuple[Any, ...]) -> ScriptContext:
        context = ScriptContext(str(args[0]) if args else entry.name)
        self.runner.context_started(context)
        return context

    def run(self, context: ScriptContext, budget: int) -> Any:
        if context.result is not None:
            code, value = context.result
            context.result = None
            if context.pending is not None:
                command, context.pending = context.pending, None
                self.runner.returned(context.owner, command, code, value)
        if context.commands:
            command = context.commands.popleft()
            if not command.service:
                self.runner.issued(context.owner, command)
                return Returned(STEP_CYCLES, None)
            context.pending = command
            self.runner.issued(context.owner, command)
            return Call(STEP_CYCLES, self.binding(command.service), command.args)
        now = self.kernel.board.now()
        target = self.runner.spin_until
        if now < target:
            return Preempted(min(budget, target - now))
        self.kernel.request_stop()
        return Preempted(0)

    def deliver(self, context: ScriptContext, value: Any) -> None:
        context.result = (E_OK, value)

    def fail(self, context: ScriptContext, error: OsvmError) -> None:
        context.result = (error.code, None)

    def describe(self, context: ScriptContext) -> str:
        return f"scenario script of {context.owner}"
