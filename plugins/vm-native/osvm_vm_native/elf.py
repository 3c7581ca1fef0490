"""Reading SH-3 programs: ELF32 SuperH little-endian executables, checked, and relocatable anywhere.

Decoding and validation only; nothing here touches the kernel. A `Program`
holds the loadable image (the hull of the PT_LOAD segments), the words that
must move when the image does, the symbols, and the osvm records the
program carries (``.osvm.exports``, ``.osvm.imports``, see ``osvm.h``).

Placement: programs are linked with ``-Wl,-q`` (``--emit-relocs``), so the
executable keeps its relocation records; the loader places the image wherever
the memory manager put it and adds the displacement to every absolute
address (R_SH_DIR32, and the GOT slots libgcc's PIC helpers read through
R_SH_GOT32). PC-relative references need nothing. An executable without
relocation records cannot be moved and is refused.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field

from elftools.common.exceptions import ELFError
from elftools.elf.elffile import ELFFile
from elftools.elf.relocation import RelocationSection
from elftools.elf.sections import SymbolTableSection

from osvm_core.errors import ParameterError

EM_SH = 42
ET_EXEC = 2
EF_SH_MACH_MASK = 0x1F
#: e_flags machine values whose instructions an SH-3 runs (EF_SH1, EF_SH2, EF_SH3).
SH3_SUBSETS = {1: "sh1", 2: "sh2", 3: "sh3"}
MACHINES = {0: "unknown SH", 4: "sh-dsp", 5: "sh3-dsp", 6: "sh4al-dsp", 8: "sh3e", 9: "sh4",
            0xB: "sh2e", 0xC: "sh4a", 0xD: "sh2a", 0x10: "sh4-nofpu", 0x11: "sh4a-nofpu",
            0x12: "sh4-nommu-nofpu", 0x13: "sh2a-nofpu", 0x14: "sh3-nommu", 0x15: "sh2a-sh4-nofpu",
            0x16: "sh2a-sh3-nofpu", 0x17: "sh2a-sh4", 0x18: "sh2a-sh3e"}

PT_LOAD, PT_DYNAMIC, PT_INTERP, PT_TLS = 1, 2, 3, 7
SHF_ALLOC = 0x2
SHN_UNDEF, SHN_ABS = 0, 0xFFF1

# SuperH relocation types (binutils include/elf/sh.h)
R_SH_DIR32 = 1
R_SH_GOT32 = 160
R_SH_GOTPLT32 = 168
#: Relative to the PC, to the GOT, or markers for the linker: the same wherever the image goes.
POSITION_FREE = {0, 2, 3, 4, 5, 6, 7, 8, 9, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37,
                 161, 166, 167}
TLS_TYPES = range(144, 152)

MAX_IMAGE = 64 << 20
EXPORTS_SECTION = ".osvm.exports"
IMPORTS_SECTION = ".osvm.imports"


class ElfError(ParameterError):
    """A program file that is not an executable this VM can run; the message names the file."""


@dataclass(frozen=True)
class Segment:
    vaddr: int
    data: bytes        # the file part; the rest up to memsz is zero (.bss)
    memsz: int
    flags: int


@dataclass(frozen=True)
class Symbol:
    name: str
    address: int       # link-time address
    size: int
    function: bool


@dataclass
class Program:
    """A checked executable: its image at link addresses and what moving it takes."""

    origin: str
    entry: int
    machine: int                         # e_flags & 0x1F
    segments: list[Segment]
    low: int                             # first byte of the image (link address)
    size: int                            # bytes from low to the end of the last segment
    align: int                           # the image may move by multiples of this
    absolute: list[int] = field(default_factory=list)     # link addresses of 32-bit words to move
    symbols: dict[str, Symbol] = field(default_factory=dict)
    exports: list[tuple[str, str]] = field(default_factory=list)         # (name, signature)
    imports: list[tuple[int, str, str]] = field(default_factory=list)    # (record address, path, signature)

    def image(self, base: int) -> bytearray:
        """The image for load address ``base`` (``base - low`` a multiple of ``align``)."""
        delta = (base - self.low) & 0xFFFFFFFF
        if (base - self.low) % self.align:
            raise ValueError(f"{self.origin}: load address {base:#x} breaks the image's {self.align}-byte alignment")
        image = bytearray(self.size)
        for segment in self.segments:
            start = segment.vaddr - self.low
            image[start:start + len(segment.data)] = segment.data
        for address in self.absolute:
            at = address - self.low
            word = int.from_bytes(image[at:at + 4], "little")
            image[at:at + 4] = ((word + delta) & 0xFFFFFFFF).to_bytes(4, "little")
        return image

    def function_at(self, address: int) -> tuple[str, int] | None:
        """(name, offset) of the function symbol covering a link address."""
        best: Symbol | None = None
        for symbol in self.symbols.values():
            if symbol.function and symbol.address <= address and (
                    address < symbol.address + max(symbol.size, 1) or symbol.size == 0):
                if best is None or symbol.address > best.address:
                    best = symbol
        return (best.name, address - best.address) if best else None


def read_program(source: bytes, origin: str) -> Program:
    """Decode and check ``source``; every problem raises ElfError naming ``origin`` and what is wrong."""
    def fail(problem: str) -> ElfError:
        return ElfError(f"{origin}: {problem}")

    if len(source) < 52 or source[:4] != b"\x7fELF":
        raise fail("not an ELF file (it does not start with the ELF magic \\x7fELF)")
    if source[4] != 1:
        kind = "a 64-bit" if source[4] == 2 else f"an unknown class ({source[4]})"
        raise fail(f"is {kind} ELF file; SH-3 programs are ELF32")
    if source[5] != 1:
        raise fail("is big-endian; build SH-3 programs little-endian (-ml)")
    try:
        elf = ELFFile(io.BytesIO(source))
        header = elf.header
        machine = header["e_machine"]
    except (ELFError, ValueError, KeyError) as error:
        raise fail(f"malformed ELF header: {error}") from None
    if machine != "EM_SH":
        number = int.from_bytes(source[18:20], "little")
        raise fail(f"is for {machine} (e_machine {number}), not SuperH (EM_SH = {EM_SH})")
    if header["e_type"] != "ET_EXEC":
        hint = {"ET_REL": "an object file: link it into an executable",
                "ET_DYN": "a shared object or PIE: link with -static -no-pie"}.get(header["e_type"], "")
        raise fail(f"is {header['e_type']}, not an executable (ET_EXEC)" + (f"; {hint}" if hint else ""))
    flags = header["e_flags"] & EF_SH_MACH_MASK
    if flags not in SH3_SUBSETS:
        name = MACHINES.get(flags, "unknown")
        raise fail(f"is built for {name} (e_flags {header['e_flags']:#x}); an SH-3 runs SH-1/2/3 code "
                   f"(e_flags 1-3): assemble with -Wa,--isa=sh3")
    try:
        return _read(elf, source, origin, flags, fail)
    except ElfError:
        raise
    except (ELFError, ValueError, KeyError, IndexError, AttributeError, UnicodeDecodeError) as error:
        raise fail(f"malformed ELF: {error}") from None


def _read(elf: ELFFile, source: bytes, origin: str, machine: int, fail) -> Program:
    segments: list[Segment] = []
    for segment in elf.iter_segments():
        kind = segment["p_type"]
        if kind in ("PT_DYNAMIC", "PT_INTERP"):
            raise fail("is dynamically linked; link it -static")
        if kind == "PT_TLS":
            raise fail("uses thread-local storage, which native tasks do not have")
        if kind != "PT_LOAD":
            continue
        offset, filesz, memsz, vaddr = (segment[k] for k in ("p_offset", "p_filesz", "p_memsz", "p_vaddr"))
        if filesz > memsz:
            raise fail(f"segment at {vaddr:#x} has more file bytes ({filesz}) than memory bytes ({memsz})")
        if offset + filesz > len(source):
            raise fail(f"segment at {vaddr:#x} runs past the end of the file "
                       f"({offset}+{filesz} > {len(source)} bytes): the file is truncated")
        if vaddr + memsz > 1 << 32:
            raise fail(f"segment at {vaddr:#x} of {memsz} bytes passes the 32-bit address space")
        if memsz:
            segments.append(Segment(vaddr, source[offset:offset + filesz], memsz, segment["p_flags"]))
    if not segments:
        raise fail("has no loadable segment (PT_LOAD)")
    segments.sort(key=lambda s: s.vaddr)
    for before, after in zip(segments, segments[1:], strict=False):
        if before.vaddr + before.memsz > after.vaddr:
            raise fail(f"segments at {before.vaddr:#x} and {after.vaddr:#x} overlap")
    low = segments[0].vaddr
    size = (segments[-1].vaddr + segments[-1].memsz - low + 3) & ~3
    if size > MAX_IMAGE:
        raise fail(f"its image spans {size} bytes; the native VM loads at most {MAX_IMAGE >> 20} MiB")

    entry = elf.header["e_entry"]
    align = 4
    for section in elf.iter_sections():
        if section["sh_flags"] & SHF_ALLOC and section["sh_addralign"] > align:
            align = section["sh_addralign"]
    if align & (align - 1) or align > 4096:
        raise fail(f"a section asks for {align}-byte alignment; at most 4096 (a power of two) is supported")
    program = Program(origin, entry, machine, segments, low, size, align)

    symtab = elf.get_section_by_name(".symtab")
    if isinstance(symtab, SymbolTableSection):
        for symbol in symtab.iter_symbols():
            if symbol.name and symbol["st_shndx"] not in ("SHN_UNDEF", "SHN_ABS"):
                program.symbols[symbol.name] = Symbol(symbol.name, symbol["st_value"], symbol["st_size"],
                                                      symbol["st_info"]["type"] == "STT_FUNC")
    _relocations(elf, program, fail)
    _records(elf, program, fail)
    return program


def _in_image(program: Program, address: int, size: int) -> bool:
    return any(s.vaddr <= address and address + size <= s.vaddr + len(s.data) for s in program.segments)


def _relocations(elf: ELFFile, program: Program, fail) -> None:
    found = False
    moved: set[int] = set()
    got = program.symbols.get("_GLOBAL_OFFSET_TABLE_")
    for section in elf.iter_sections():
        if not isinstance(section, RelocationSection):
            continue
        target = elf.get_section(section["sh_info"])
        if not target["sh_flags"] & SHF_ALLOC:
            continue          # relocations of debug or note sections: not loaded
        found = True
        symbols = elf.get_section(section["sh_link"])
        for reloc in section.iter_relocations():
            kind = reloc["r_info_type"]
            address = reloc["r_offset"]
            if kind in POSITION_FREE:
                continue
            if kind in TLS_TYPES:
                raise fail(f"uses thread-local storage (relocation {kind} at {address:#x})")
            if kind not in (R_SH_DIR32, R_SH_GOT32, R_SH_GOTPLT32):
                raise fail(f"has relocation type {kind} at {address:#x}, which the loader cannot apply")
            symbol = symbols.get_symbol(reloc["r_info_sym"])
            if symbol["st_shndx"] in ("SHN_UNDEF", "SHN_ABS"):
                continue      # an absolute value (or an undefined weak 0) stays where it is
            if kind != R_SH_DIR32:
                # the word at the relocation holds the slot's offset from the GOT
                if got is None or not _in_image(program, address, 4):
                    raise fail(f"uses a GOT slot at {address:#x} but has no _GLOBAL_OFFSET_TABLE_")
                address = got.address + _word(program, address)
            if not _in_image(program, address, 4):
                raise fail(f"a relocation at {address:#x} points outside the loaded image")
            moved.add(address)
    if not found:
        raise fail("has no relocation records, so it cannot be placed in RAM: link it with -Wl,-q "
                   "(--emit-relocs), as guest/Makefile does")
    program.absolute = sorted(moved)


def _word(program: Program, address: int) -> int:
    for segment in program.segments:
        at = address - segment.vaddr
        if 0 <= at and at + 4 <= len(segment.data):
            return int.from_bytes(segment.data[at:at + 4], "little")
    raise ValueError(f"no file data at {address:#x}")


def _records(elf: ELFFile, program: Program, fail) -> None:
    section = elf.get_section_by_name(EXPORTS_SECTION)
    if section is not None:
        for _offset, text in _strings(section.data()):
            name, colon, signature = text.partition(":")
            if not colon or not name.strip() or not signature.strip():
                raise fail(f"{EXPORTS_SECTION} record {text!r} is not 'name:signature'")
            symbol = program.symbols.get(name.strip())
            if symbol is None:
                raise fail(f"exports '{name.strip()}', but it has no such symbol "
                           f"(an exported function must not be static)")
            program.exports.append((name.strip(), signature.strip()))
    section = elf.get_section_by_name(IMPORTS_SECTION)
    if section is not None:
        if not section["sh_flags"] & SHF_ALLOC:
            raise fail(f"{IMPORTS_SECTION} must be loaded (use OSVM_IMPORT from osvm.h)")
        for offset, text in _strings(section.data()):
            path, colon, signature = text.partition(":")
            if not colon or not path.startswith("/"):
                raise fail(f"{IMPORTS_SECTION} record {text!r} is not '/path:signature'")
            program.imports.append((section["sh_addr"] + offset, path, signature.strip()))


def _strings(data: bytes) -> list[tuple[int, str]]:
    """NUL-terminated strings with their offsets (padding NULs skipped)."""
    found = []
    offset = 0
    while offset < len(data):
        end = data.find(b"\0", offset)
        if end < 0:
            end = len(data)
        if end > offset:
            found.append((offset, data[offset:end].decode("utf-8")))
        offset = end + 1
    return found
