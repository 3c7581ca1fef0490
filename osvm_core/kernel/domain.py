"""Scheduling domains: one per VM instance plus the kernel's own, for interrupt tasks.

The OS layer runs a preemptive round-robin over domains, each getting
``share`` quanta per turn; inside a domain the VM's policy picks the task.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ..scheduling.policy import SchedulingPolicy
    from ..vm import VM


@dataclass(eq=False)
class Domain:
    name: str
    policy: SchedulingPolicy
    share: int = 1
    vm: VM | None = None
    slice_left: int = 0
    cycles: int = 0
    switches: int = 0
    turns: int = 0

    def __repr__(self) -> str:
        return f"<Domain {self.name} share={self.share}>"
