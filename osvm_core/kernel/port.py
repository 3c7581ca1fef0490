"""Ports: bounded message queues, the "send" and "receive" of interrupts as messages.

Interrupt tasks ``post`` (never block); a full port then counts the lost
message and reports it. Tasks ``send`` (wait for room, or E_QOVR when polling)
and ``receive`` (wait for a message, or E_TMOUT).
"""

from __future__ import annotations

from collections import deque
from typing import TYPE_CHECKING, Any

from ..errors import Deleted, ParameterError, QueueOverflow, Timeout
from .wait import TMO_POL, WaitQueue

if TYPE_CHECKING:
    from .kernel import Kernel
    from .task import Task


class Port:
    kind = "port"

    def __init__(self, kernel: Kernel, name: str | None, capacity: int, order: str = "fifo",
                 owner: str = "os") -> None:
        if not isinstance(capacity, int) or capacity < 0:
            raise ParameterError(f"port capacity must be an integer >= 0, got {capacity!r}")
        self.kernel = kernel
        self.name = name
        self.capacity = capacity
        self.owner = owner
        self.messages: deque[Any] = deque()
        self.receivers = WaitQueue(order, f"port {name}")
        self.senders = WaitQueue(order, f"port {name}")
        self.id = kernel.objects.add("port", self, name)
        self.sent = 0
        self.received = 0
        self.overflows = 0
        self.high_water = 0
        # Set by the first receive (or upcall): until someone listens, a full port drops
        # quietly (still counted in ``overflows``), so an unused timer line makes no noise.
        self.listened = False

    @property
    def label(self) -> str:
        return self.name or f"#{self.id}"

    def waiting_receivers(self) -> int:
        return len(self.receivers)

    def _deliver(self, message: Any) -> bool:
        """Hand ``message`` to a waiting receiver or queue it; False when the port is full."""
        receiver = self.receivers.first()
        if receiver is not None:
            self.sent += 1
            self.received += 1
            self.kernel.release(receiver, message)
            return True
        if len(self.messages) < self.capacity:
            self.sent += 1
            self.messages.append(message)
            if len(self.messages) > self.high_water:
                self.high_water = len(self.messages)
            return True
        return False

    def post(self, message: Any) -> bool:
        """From an interrupt task: never waits; a full port loses the message and says so."""
        if self._deliver(message):
            return True
        self.overflows += 1
        kernel = self.kernel
        now = kernel.board.now()
        kernel.trace.add(now, "overflow", f"port {self.label}", repr(message))
        if self.listened and (self.overflows == 1 or self.overflows % 1000 == 0):
            kernel.diagnostics(f"osvm: port {self.label} is full (capacity {self.capacity}): "
                               f"message lost at cycle {now} ({self.overflows} lost so far)")
        return False

    def send(self, task: Task, message: Any, timeout: int) -> Any:
        if not self.senders and self._deliver(message):
            return None
        if timeout == TMO_POL:
            raise QueueOverflow(f"port {self.label} is full (capacity {self.capacity})")
        return self.kernel.wait(task, self.senders, timeout, f"port {self.label} (send)", data=message)

    def receive(self, task: Task, timeout: int) -> Any:
        self.listened = True
        if self.messages:
            message = self.messages.popleft()
            self.received += 1
            sender = self.senders.first()
            if sender is not None:
                self.messages.append(sender.wait.data)
                self.sent += 1
                self.kernel.release(sender, None)
            return message
        sender = self.senders.first()
        if sender is not None:   # a port of capacity 0: a rendezvous
            message = sender.wait.data
            self.sent += 1
            self.received += 1
            self.kernel.release(sender, None)
            return message
        if timeout == TMO_POL:
            raise Timeout(f"port {self.label} is empty")
        return self.kernel.wait(task, self.receivers, timeout, f"port {self.label}")

    def delete(self) -> None:
        for queue in (self.receivers, self.senders):
            while queue:
                self.kernel.release(queue.first(), error=Deleted(f"port {self.label} was deleted"))
        self.kernel.objects.remove("port", self.id)
        self.kernel.device_ports = {k: v for k, v in self.kernel.device_ports.items() if v is not self}

    def stats(self) -> dict[str, Any]:
        return {"port": self.label, "capacity": self.capacity, "queued": len(self.messages),
                "sent": self.sent, "received": self.received, "overflows": self.overflows,
                "high_water": self.high_water}
