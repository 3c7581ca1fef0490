"""Consumes jobs: reads the payload, has the library VMs checksum it (cross-VM calls)."""

from osvm_vm_python.guest import export, mpf, need, now, port, read_memory, sem, work, write

checksum = need("/mod/lib/checksum/adler32", "func(data: bytes) -> u32")
crc32 = need("/mod/wasm/crc32/crc32", "func(data: bytes) -> u32")   # C compiled to wasm


@export("func() -> s32")
def main():
    slots, jobs, buffers = sem("slots"), port("jobs"), mpf("buffers")
    total = 0
    while True:
        number, block, size = yield jobs.receive()
        if number == 0:
            break
        data = yield read_memory(block, size)
        yield buffers.release(block)
        yield slots.signal()
        digest = yield checksum(data)              # runs in VM 'lib', on this task
        crc = yield crc32(data)                    # runs in VM 'wasm', on this task
        yield work(6_000)                          # use the result
        total += digest
        t = yield now()
        yield write(f"[{t:>7}] consumer: job {number} adler32={digest:08x} crc32={crc:08x}\n")
    yield write(f"consumer: done, sum of checksums {total:#x}\n")
    return 0
