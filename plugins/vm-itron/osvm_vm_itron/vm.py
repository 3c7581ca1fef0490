"""The ``itron`` VM kind: Python guest tasks written against the μITRON service calls.

It is the Python VM (generator tasks, the same cost model) whose tasks are
μITRON tasks: joining a kernel installs the personality (the ``/itron``
services, IDs, CPU state, time events), and its domain must be scheduled by
the ``itron`` policy (fixed priority that can hold dispatching). Guests call
the services through ``osvm_vm_itron.api``.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, ClassVar

from osvm_core.errors import ParameterError
from osvm_vm_python.vm import PythonVM

from .personality import install
from .policy import ItronPolicy

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel


class ItronVM(PythonVM):
    kind: ClassVar[str] = "itron"
    suffixes: ClassVar[tuple[str, ...]] = ()

    def attach(self, kernel: Kernel) -> None:
        domain = kernel.vm_domains.get(self.name)
        if domain is not None and not isinstance(domain.policy, ItronPolicy):
            raise ParameterError(f"itron VM '{self.name}' needs scheduler = \"itron\" "
                                 f"(got '{domain.policy.name}'): μITRON dispatching needs it")
        super().attach(kernel)
        install(kernel).vms.add(self.name)


def create(name: str, options: dict[str, Any] | None = None) -> ItronVM:
    return ItronVM(name, options)
