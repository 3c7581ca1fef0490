"""osvm-vm-forth: a Forth-2012 system as an osvm VM personality.

The dictionary, data space, data stack and return stack live in RAM taken from
the OS (the VM's heap), as 32-bit little-endian cells; the inner interpreter is
a step machine that the kernel can preempt after any primitive.
"""

from osvm_vm_forth.machine import Machine
from osvm_vm_forth.standalone import Standalone, run_forth

__all__ = ["Machine", "Standalone", "run_forth"]
