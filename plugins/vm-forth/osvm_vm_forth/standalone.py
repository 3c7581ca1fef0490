"""A Forth machine without a kernel: a host that serves the console and a clock.

For unit tests, the benchmark and quick experiments. System calls the standalone
host knows: console output and input, time, delay, yield; others fail E_NOSPT.

    >>> from osvm_vm_forth import run_forth
    >>> run_forth(b"1 2 + . CR").output
    b'3 \\n'
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from osvm_core.errors import NotSupported, OsvmError, Timeout
from osvm_core.events import Call, Exited, Fault, Preempted, Returned
from osvm_core.names.signature import Handle

from .errors import ForthThrow
from .machine import Context, Machine
from .memory import standalone_memory


@dataclass(frozen=True)
class Target:
    """What a Call names in standalone mode: just the path."""

    path: str


@dataclass
class Result:
    output: bytes
    exit_code: int
    event: Any
    cycles: int


class Standalone:
    """Host of a standalone machine (the methods a Machine asks its host for)."""

    eof_cycles = 1

    def __init__(self, *, memory: int = 2 << 20, input: bytes | str = b"", dictionary: int = 512 * 1024,
                 clock_hz: int = 1_000_000, stack_cells: int = 1024, rstack_cells: int = 1024) -> None:
        self.memory = standalone_memory(memory)
        self.output = bytearray()
        self.input = bytearray(input.encode() if isinstance(input, str) else input)
        self.cycles = 0
        self.clock_hz = clock_hz
        self.exports: dict[str, tuple[str, int]] = {}
        self.machine = Machine(self.memory, self, dictionary=dictionary, stack_cells=stack_cells,
                               rstack_cells=rstack_cells)

    # -- the host interface ----------------------------------------------------------
    def service(self, path: str) -> Target:
        return Target(path)

    def bind(self, path: str, signature: str) -> Target:
        return Target(path)

    def declared_binding(self, ctx: Context, path: str, signature: str) -> None:
        return None

    def console_port(self) -> Handle:
        return Handle("port", 0)

    def read_file(self, path: str) -> bytes:
        try:
            with open(path, "rb") as handle:
                return handle.read()
        except OSError as error:
            raise ForthThrow(-38, f"{path}: {error.strerror}") from None

    def export(self, ctx: Context, name: str, signature: str, xt: int) -> None:
        self.exports[name] = (signature, xt)

    # -- running ------------------------------------------------------------------
    def serve(self, target: Target, args: tuple[Any, ...]) -> Any:
        path = target.path
        if path == "/os/console/write_bytes":
            self.output += args[0]
        elif path == "/os/console/write":
            self.output += args[0].encode("utf-8")
        elif path == "/os/port/receive":
            if not self.input:
                raise Timeout("no console input")
            chunk = bytes(self.input[:256])
            del self.input[:256]
            return chunk
        elif path == "/os/time/now":
            return self.cycles
        elif path == "/os/time/hz":
            return self.clock_hz
        elif path == "/os/task/delay":
            self.cycles += args[0]
        elif path in ("/os/task/rotate", "/os/task/exit"):
            return None
        elif path == "/os/sys/random":
            return 4 % max(args[0], 1)
        else:
            raise NotSupported(f"{path} is not available in standalone mode")
        return None

    def run(self, ctx: Context, *, max_cycles: int = 200_000_000, budget: int = 100_000) -> Any:
        """Run ``ctx`` to its end, serving its system calls; the final event."""
        m = self.machine
        while self.cycles < max_cycles:
            event = m.run(ctx, budget)
            self.cycles += event.used
            if isinstance(event, Preempted):
                continue
            if isinstance(event, Call):
                self.cycles += 20
                try:
                    value = self.serve(event.target, event.args)
                except OsvmError as error:
                    m.fail(ctx, error)
                else:
                    m.deliver(ctx, value)
                continue
            return event
        return Preempted(0)

    def interpret(self, text: bytes | str, *, name: str = "<text>", on_error: str = "exit",
                  directory: str = "") -> Result:
        """Interpret ``text`` as a program (like ``osvm exec forth FILE``)."""
        m = self.machine
        data = text.encode() if isinstance(text, str) else text
        ctx = m.new_context(name)
        ctx.on_error_mode = on_error
        source = m.text_source("module", name, data, directory or os.getcwd())
        m.attach_buffer(ctx, source)
        m.push_source(ctx, source)
        m.start(ctx, m.xts["(top)"])
        ctx.final = lambda machine, context: Returned(0, context.exit_code)
        start = self.cycles
        before = len(self.output)
        event = self.run(ctx)
        m.release_context(ctx)
        code = event.value if isinstance(event, Returned) else event.code if isinstance(event, Exited) else 1
        if isinstance(event, Fault):
            self.output += f"fault: {event.error}\n".encode()
        return Result(bytes(self.output[before:]), code or 0, event, self.cycles - start)

    def include(self, path: str, on_error: str = "exit") -> Result:
        with open(path, "rb") as handle:
            text = handle.read()
        return self.interpret(text, name=os.path.basename(path), on_error=on_error,
                              directory=os.path.dirname(os.path.abspath(path)))


def run_forth(text: bytes | str, *, input: bytes | str = b"", on_error: str = "exit", **options: Any) -> Result:
    """Interpret ``text`` on a fresh standalone machine."""
    return Standalone(input=input, **options).interpret(text, on_error=on_error)
