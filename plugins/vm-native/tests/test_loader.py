"""Loading SH-3 executables: what is checked, what a bad file is told, and relocation."""

from __future__ import annotations

import io
import struct

import pytest
from elftools.elf.elffile import ELFFile

from osvm_core.errors import NoMemory, OsvmError, SignatureError
from osvm_vm_native.elf import ElfError, read_program


def patched(data: bytes, offset: int, fmt: str, value: int) -> bytes:
    out = bytearray(data)
    struct.pack_into(fmt, out, offset, value)
    return bytes(out)


@pytest.fixture
def hello(guest) -> bytes:
    return (guest.bin / "hello.elf").read_bytes()


def test_every_prebuilt_program_is_sh3_code(guest) -> None:
    programs = sorted(guest.bin.glob("*.elf")) + sorted(guest.linux_bin.glob("*.elf"))
    assert len(programs) >= 20
    for path in programs:
        data = path.read_bytes()
        assert struct.unpack_from("<I", data, 36)[0] == 3, path.name      # e_flags: EF_SH3
        program = read_program(data, path.name)
        assert program.machine == 3 and program.absolute


@pytest.mark.parametrize(("change", "message"), [
    (lambda d: b"MZ" + d[2:], r"x\.elf: not an ELF file"),
    (lambda d: d[:40], r"not an ELF file"),
    (lambda d: d[:4] + b"\x02" + d[5:], r"is a 64-bit ELF file; SH-3 programs are ELF32"),
    (lambda d: d[:5] + b"\x02" + d[6:], r"is big-endian; build SH-3 programs little-endian \(-ml\)"),
    (lambda d: patched(d, 18, "<H", 62), r"is for EM_X86_64 \(e_machine 62\), not SuperH"),
    (lambda d: patched(d, 36, "<I", 0x9), r"built for sh4 \(e_flags 0x9\); .*-Wa,--isa=sh3"),
    (lambda d: patched(d, 36, "<I", 0x11), r"built for sh4a-nofpu \(e_flags 0x11\)"),   # no --isa=sh3
    (lambda d: patched(d, 16, "<H", 1), r"is ET_REL, not an executable \(ET_EXEC\); an object file: link it"),
    (lambda d: patched(d, 16, "<H", 3), r"is ET_DYN, .*link with -static -no-pie"),
    (lambda d: d[:300], r"truncated|malformed"),
])
def test_bad_files_get_a_clear_error(hello, change, message) -> None:
    with pytest.raises(ElfError, match=message):
        read_program(change(hello), "x.elf")


def _section_header(data: bytes, name: str) -> int:
    elf = ELFFile(io.BytesIO(data))
    for index, section in enumerate(elf.iter_sections()):
        if section.name == name:
            return elf.header["e_shoff"] + index * elf.header["e_shentsize"]
    raise KeyError(name)


def test_an_executable_without_relocations_is_refused(hello) -> None:
    data = hello
    for name in (".rela.text", ".rela.eh_frame"):
        try:
            data = patched(data, _section_header(data, name) + 4, "<I", 0)   # sh_type = SHT_NULL
        except KeyError:
            pass
    with pytest.raises(ElfError, match=r"has no relocation records.*-Wl,-q"):
        read_program(data, "x.elf")


def test_a_segment_past_the_end_of_the_file_is_refused(hello) -> None:
    phoff = struct.unpack_from("<I", hello, 28)[0]
    data = patched(hello, phoff + 16, "<I", 1 << 20)          # p_filesz of the first header
    data = patched(data, phoff + 20, "<I", 1 << 21)           # p_memsz, so filesz <= memsz
    with pytest.raises(ElfError, match=r"runs past the end of the file .*truncated"):
        read_program(data, "x.elf")


def test_an_export_without_its_symbol_is_refused(guest) -> None:
    data = (guest.bin / "calls.elf").read_bytes().replace(b"crc32:func", b"crc33:func")
    with pytest.raises(ElfError, match=r"exports 'crc33', but it has no such symbol"):
        read_program(data, "calls.elf")


def test_an_export_signature_c_cannot_express_is_refused_at_load(guest, tmp_path) -> None:
    data = (guest.bin / "calls.elf").read_bytes()
    data = data.replace(b"crc32:func(data: bytes) -> u32", b"crc32:func(data: f64)   -> u32")
    bad = tmp_path / "calls.elf"
    bad.write_bytes(data)
    with pytest.raises(SignatureError, match=r"parameter 'data': type f64 has no mapping"):
        guest.run_program(bad)


def test_a_bad_file_in_a_system_names_the_file(guest, tmp_path) -> None:
    (tmp_path / "junk.elf").write_bytes(b"not a program at all, just text" * 4)
    with pytest.raises(OsvmError, match=r"junk\.elf: not an ELF file"):
        guest.run_system(tmp_path, f"""
            [[vm]]
            name = "nat"
            kind = "native"
            load = ["{tmp_path}/junk.elf"]
            """)


def test_two_instances_of_one_program_live_side_by_side(guest, tmp_path) -> None:
    run = guest.run_system(tmp_path, """
        [system]
        hal = "sh3"

        [[vm]]
        name = "nat"
        kind = "native"
        load = [{{file = "{bin}/spin.elf", name = "a"}}, {{file = "{bin}/spin.elf", name = "b"}}]

        [[task]]
        name = "a"
        vm = "nat"
        entry = "/mod/nat/a/spin"
        args = [5, 2]

        [[task]]
        name = "b"
        vm = "nat"
        entry = "/mod/nat/b/spin"
        args = [5, 2]
        """)
    a, b = (run.kernel.vms["nat"].modules[name].state for name in "ab")
    assert a.image != b.image and (a.end <= b.stacks or b.end <= a.stacks)
    lines = sorted(line.split("] ")[1] for line in run.output.splitlines())
    assert len(lines) == 4 and lines[0] == lines[1] != lines[2] == lines[3]    # same work, twice
    assert not run.kernel.faults


def test_a_vm_without_room_for_the_program_gets_e_nomem(guest) -> None:
    with pytest.raises(NoMemory, match=r"hello\.elf: .*out of memory"):
        guest.run_program(guest.bin / "hello.elf", memory=64 << 10)
