"""osvm's Python personality: tasks are generator functions that yield system calls.

Guests import their API from ``osvm_vm_python.guest``.
"""

__version__ = "0.1.0"
