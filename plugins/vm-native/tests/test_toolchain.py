"""The guest toolchain: Debian's gcc-sh4-linux-gnu builds SH-3 code the loader accepts (e_flags 3).

Skipped where the cross compiler (or the headers its GCC plugin needs) is not installed: the
prebuilt programs in guest/bin serve every other test.
"""

from __future__ import annotations

import shutil
import struct
import subprocess
from pathlib import Path

import pytest

CC = shutil.which("sh4-linux-gnu-gcc")


def _plugin_headers() -> bool:
    if CC is None or shutil.which("g++") is None:
        return False
    found = subprocess.run([CC, "-print-file-name=plugin"], capture_output=True, text=True).stdout.strip()
    return (Path(found) / "include" / "gcc-plugin.h").exists()


@pytest.mark.skipif(not _plugin_headers(), reason="needs gcc-sh4-linux-gnu, g++ and "
                    "gcc-12-plugin-dev-sh4-linux-gnu (apt-get install) to build guest programs")
def test_a_program_built_with_osvm_mk_runs(guest, tmp_path: Path) -> None:
    (tmp_path / "prog.c").write_text(
        '#include "libc.h"\n#include "osvm.h"\n'
        'OSVM_EXPORT(twice, "func(x: s32) -> s32");\nint twice(int x) { return 2 * x; }\n'
        'int main(void) { printf("built here: %d\\n", twice(21)); return 0; }\n')
    (tmp_path / "Makefile").write_text(
        f"include {guest.guest}/osvm.mk\n"
        "prog.elf: prog.c $(OSVM_DEPS)\n"
        "\t$(OSVM_CC) $(OSVM_CFLAGS) $(OSVM_LDFLAGS) $(OSVM_RUNTIME) $< $(OSVM_LIBS) -o $@\n")
    done = subprocess.run(["make", "-s", "-C", str(tmp_path), "prog.elf"], capture_output=True, text=True,
                          timeout=120)
    assert done.returncode == 0, done.stderr
    program = tmp_path / "prog.elf"
    assert struct.unpack_from("<I", program.read_bytes(), 36)[0] == 3      # e_flags: SH-3
    run = guest.run_program(program)
    assert run.output == "built here: 42\n" and run.code == 0
    assert run.kernel.names.get("/mod/native/prog/twice") is not None


@pytest.mark.skipif(CC is None, reason="gcc-sh4-linux-gnu is not installed")
def test_the_assembler_refuses_what_an_sh3_lacks(tmp_path: Path) -> None:
    source = tmp_path / "fpu.S"
    source.write_text("\t.text\n\tfadd fr0,fr1\n")                 # an SH-4 FPU instruction
    done = subprocess.run([CC, "-m4-nofpu", "-ml", "-Wa,--isa=sh3", "-c", str(source), "-o",
                           str(tmp_path / "fpu.o")], capture_output=True, text=True, timeout=60)
    assert done.returncode != 0
