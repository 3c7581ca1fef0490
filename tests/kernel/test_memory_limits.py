"""Per-VM memory limits: pools a VM creates come out of its own heap; past it, E_NOMEM for it alone."""

from __future__ import annotations

from osvm_core.errors import E_NOMEM
from osvm_core.memory.variable_pool import HEADER_SIZE
from osvm_core.testing.scenario import system

GUEST = """
from osvm_core.errors import NoMemory
from osvm_vm_python.guest import export, new_mpf, new_mpl
from scenario import note


def attempt(name, request):
    try:
        pool = yield request
    except NoMemory as error:
        note(name, error.code, str(error))
        return None
    note(name, "ok")
    return pool


@export("func(vm: string)")
def main(vm):
    first = yield from attempt(vm + " mpl 2048", new_mpl(2048))
    yield from attempt(vm + " mpl 2048 again", new_mpl(2048))
    yield from attempt(vm + " mpf 64x32", new_mpf(64, 32))
    yield from attempt(vm + " mpf 16x8", new_mpf(16, 8))
    if first is not None:
        block = yield first.get(1000)
        yield first.release(block)
        yield first.delete()                # its storage goes back to the VM's heap
        yield from attempt(vm + " mpf 64x32 after delete", new_mpf(64, 32))
"""


def test_a_vm_past_its_memory_limit_gets_e_nomem_and_another_vm_is_unaffected(scenario):
    s = scenario({"g.py": GUEST}, system("""
        [[vm]]
        name = "small"
        kind = "python"
        memory = "4KiB"
        load = ["g.py"]

        [[vm]]
        name = "big"
        kind = "python"
        memory = "64KiB"
        load = ["g.py"]

        [[task]]
        name = "small"
        vm = "small"
        entry = "g/main"
        args = ["small"]

        [[task]]
        name = "big"
        vm = "big"
        entry = "g/main"
        args = ["big"]
    """))
    assert s.run().reason == "finished"
    results = {p[0]: p[1:] for p in s.points}
    # 4 KiB: one 2 KiB pool (plus an 8-byte header) fits; a second one or 32 blocks of 64 do not
    assert results["small mpl 2048"] == ("ok",)
    code, message = results["small mpl 2048 again"]
    assert code == E_NOMEM == -33
    assert "VM 'small' is out of memory: 2048 bytes asked" in message
    assert results["small mpf 64x32"][0] == E_NOMEM
    assert results["small mpf 16x8"] == ("ok",)
    assert results["small mpf 64x32 after delete"] == ("ok",)
    # the other VM, in the same system at the same time, got everything it asked for
    assert all(results[f"big {what}"] == ("ok",) for what in
               ("mpl 2048", "mpl 2048 again", "mpf 64x32", "mpf 16x8", "mpf 64x32 after delete"))
    small_heap = s.kernel.vm_heaps["small"]
    assert small_heap.stats().live_bytes == (16 * 8 + HEADER_SIZE) + (64 * 32 + HEADER_SIZE)


def test_pools_of_a_vm_lie_inside_its_own_heap(scenario):
    s = scenario({"g.py": GUEST}, system("""
        [[vm]]
        name = "small"
        kind = "python"
        memory = "4KiB"
        load = ["g.py"]

        [[task]]
        vm = "small"
        entry = "g/main"
        args = ["small"]
    """))
    assert s.run().reason == "finished"
    heap = s.kernel.vm_heaps["small"]
    for pool in s.kernel.objects.all("mpf"):
        assert pool.owner == "small"
        assert heap.base <= pool.pool.base and pool.pool.base + pool.pool.size <= heap.base + heap.size


def test_a_vm_with_no_memory_cannot_create_pools(scenario):
    s = scenario({"g.py": GUEST}, system("""
        [[vm]]
        name = "none"
        kind = "python"
        memory = 0
        load = ["g.py"]

        [[task]]
        vm = "none"
        entry = "g/main"
        args = ["none"]
    """))
    assert s.run().reason == "finished"
    assert [p[1] for p in s.points] == [E_NOMEM] * 4
    assert "its memory limit is 0" in s.points[0][2]
