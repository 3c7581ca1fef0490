"""A program in RAM: its stack pool and relocated image in one block of the VM's heap.

Layout of the block (from the OS memory manager, so the VM's memory limit applies)::

    [ stack 0 | stack 1 | ... | stack n-1 ][ image: text, rodata, data, bss ]
      a fixed-size pool (a kernel mpf)       relocated to this address

Stacks sit below the image so that a frame's fast window - its own stack
block up to the end of the image - ends a stack overflow in an address error.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from osvm_core.errors import NoMemory
from osvm_core.kernel.mempool import FixedPoolObject

from . import abi
from .elf import Program

if TYPE_CHECKING:
    from osvm_core.kernel.kernel import Kernel
    from osvm_hal_sh3.cpu import SH3CPU

M32 = 0xFFFFFFFF
USER_LIMIT = 0x80000000         # the user area U0 ends here


@dataclass
class Instance:
    """A program loaded into RAM: where its stacks and image are, and its bound imports."""

    name: str
    origin: str
    program: Program
    raw: int                    # the heap block (to give back)
    stacks: int                 # first stack block
    image: int                  # load address of the image
    end: int                    # first byte after the image
    stack_size: int
    pool: FixedPoolObject
    # record address (relocated) -> (Binding or None until linked, parameter kinds, result kind)
    imports: dict[int, tuple[Any, list[abi.Kind], abi.Kind | None]] = field(default_factory=dict)

    @property
    def delta(self) -> int:
        return self.image - self.program.low

    def where(self, pc: int) -> str:
        """``pc 0x0c0001a4 (main+0x24 in prog.elf)`` for reports."""
        found = self.program.function_at((pc - self.delta) & M32)
        inside = f"{found[0]}+{found[1]:#x} in " if found else ""
        return f"pc {pc:#010x} ({inside}{self.origin})"


@dataclass
class Procedure:
    """An exported function: the entry's ``procedure`` in the names tree."""

    instance: Instance
    name: str
    address: int
    signature: Any
    params: list[abi.Kind]
    result: abi.Kind | None


def place(kernel: Kernel, cpu: SH3CPU, vm_name: str, name: str, origin: str, program: Program,
          stack_size: int, stacks: int) -> Instance:
    """Take the block from the VM's heap, write the relocated image, make the stack pool."""
    stack_area = stack_size * stacks
    try:
        raw = kernel.vm_allocate(vm_name, stack_area + program.size + program.align + 8)
    except NoMemory as error:
        raise NoMemory(f"{origin}: {error} (image {program.size} bytes + {stacks} stacks "
                       f"of {stack_size})") from None
    base = (raw + 7) & ~7
    image = base + stack_area
    image += (program.low - image) % program.align         # keep the image's own alignment
    end = image + program.size
    if end > USER_LIMIT:
        kernel.vm_release(vm_name, raw)
        raise NoMemory(f"{origin}: RAM at {base:#x} is outside the SH-3 user area (below {USER_LIMIT:#x})")
    ram = kernel.ram_view(base, end - base)
    ram[:] = bytes(end - base)
    ram[image - base:] = program.image(image)
    cpu.invalidate(base, end - base)
    pool = FixedPoolObject(kernel, None, base, stack_size, stacks, "fifo", owner=vm_name, region=None)
    return Instance(name, origin, program, raw, base, image, end, stack_size, pool)
