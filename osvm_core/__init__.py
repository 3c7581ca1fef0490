"""osvm core: the OS layer of a system built from virtual machines.

The core holds the mechanisms (tasks, memory pools, semaphores, interrupts as
messages, the names tree) and the extension points; boards, VMs and policies
are plugins found through the ``osvm`` entry-point group.
"""

__version__ = "0.1.0"
