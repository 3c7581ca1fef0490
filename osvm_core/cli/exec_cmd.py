"""``osvm exec KIND [FILE [ARGS]]``: run one program on the default board, like ``gforth FILE``.

The program's console output goes to stdout and its exit status becomes the
command's exit status; with ``--invoke NAME`` the named export is called with
ARGS (converted to its parameter types) and its result printed. Standard input
is the board's console input when it is not a terminal, or when no FILE is
given: then the VM gets an empty module named ``stdin`` (origin ``<stdin>``) and
runs its default entry, which for an interactive VM (forth) reads the program
from the console.
"""

from __future__ import annotations

import struct
import sys
from pathlib import Path
from typing import Any

import click

from ..errors import OsvmError
from ..names.signature import Prim, Signature
from ..system.build import build_system
from ..system.spec import ModuleSpec, SystemSpec, VMSpec
from .run_cmd import _stdout_writer


def _shortest_f32(value: float) -> str:
    """The shortest decimal that reads back as the same f32 (what wasmtime prints)."""
    for digits in range(1, 10):
        text = f"{value:.{digits}g}"
        if struct.unpack("<f", struct.pack("<f", float(text)))[0] == value:
            return text
    return repr(value)


def format_result(value: Any, type_text: str) -> str:
    """A result as ``--invoke`` prints it: f32 values in their own precision, lists space-separated."""
    if isinstance(value, (list, tuple)):
        return " ".join(format_result(item, "") for item in value)
    if type_text == "f32" and isinstance(value, float) and value == value and abs(value) != float("inf"):
        return _shortest_f32(value)
    return str(value)


def convert_args(signature: Signature | None, texts: tuple[str, ...], where: str) -> list[Any]:
    """Command-line words → universal values of the entry's parameter types."""
    if signature is None:
        return list(texts)
    if len(texts) != len(signature.params):
        raise click.UsageError(f"{where} takes {len(signature.params)} argument(s) ({signature}), "
                               f"got {len(texts)}")
    values: list[Any] = []
    for param, text in zip(signature.params, texts, strict=True):
        kind = param.type.name if isinstance(param.type, Prim) else str(param.type)
        try:
            if kind in ("s8", "u8", "s16", "u16", "s32", "u32", "s64", "u64"):
                values.append(int(text, 0))
            elif kind in ("f32", "f64"):
                values.append(float(text))
            elif kind == "bool":
                if text not in ("true", "false", "1", "0"):
                    raise ValueError(text)
                values.append(text in ("true", "1"))
            elif kind in ("string", "any"):
                values.append(text)
            elif kind == "bytes":
                values.append(text.encode())
            else:
                raise click.UsageError(f"{where}: parameter '{param.name}' of type {kind} "
                                       f"cannot be given on the command line")
        except ValueError:
            raise click.UsageError(f"{where}: parameter '{param.name}' expects {kind}, got {text!r}") from None
    return values


@click.command("exec", context_settings={"ignore_unknown_options": True})
@click.argument("kind")
@click.argument("program", required=False, type=click.Path(exists=True, dir_okay=False))
@click.argument("args", nargs=-1, type=click.UNPROCESSED)
@click.option("--invoke", "invoke", metavar="NAME", help="Call this export and print its result.")
@click.option("--hal", help="Board to run on (default: sh3 if installed, else virt).")
@click.option("--max-cycles", type=click.IntRange(min=1), help="Stop after this many cycles.")
@click.option("--memory", default="16MiB", show_default=True, help="Memory limit of the VM.")
@click.pass_obj
def exec_command(env, kind: str, program: str | None, args: tuple[str, ...], invoke: str | None,
                 hal: str | None, max_cycles: int | None, memory: str) -> None:
    """Run PROGRAM in a VM of KIND (e.g. python); its exit status is ours.

    Without PROGRAM the VM reads its program from standard input (e.g. forth).
    """
    if kind not in env.registry.tables["vm"]:
        known = ", ".join(env.registry.names("vm")) or "none"
        raise click.BadParameter(f"no VM kind '{kind}' is installed (installed: {known})", param_hint="KIND")
    path = Path(program) if program is not None else Path("stdin")
    module = path.stem.replace(" ", "_")
    vm_name = kind
    from ..system.spec import parse_size

    modules = [ModuleSpec(module, path)] if program is not None else []
    spec = SystemSpec(file=f"<exec {program or 'stdin'}>", hal=hal, max_cycles=max_cycles,
                      vms=[VMSpec(vm_name, kind, memory=parse_size(memory), modules=modules)])
    stdin = getattr(sys.stdin, "buffer", None)
    console_in = program is None or (stdin is not None and not sys.stdin.isatty())
    hal_extra = {"console_in_stream": stdin} if console_in and stdin is not None else {}
    try:
        system = build_system(spec, env.plugins, env.registry, console_out=_stdout_writer, hal_extra=hal_extra)
        kernel = system.kernel
        vm = kernel.vms[vm_name]
        if program is None:
            loaded = vm.load(module, b"", "<stdin>")
            kernel.publish_module(vm, loaded)
            kernel.link_module(vm, loaded)
        entry_name = invoke or vm.default_entry(vm.modules[module])
        path_text = f"/mod/{vm_name}/{module}/{entry_name}"
        entry = kernel.names.get(path_text)
        if entry is None:
            exports = [e.name for e in kernel.names.walk(f"/mod/{vm_name}/{module}")]
            raise click.UsageError(f"{program or '<stdin>'} has no export '{entry_name}' "
                                   f"(exports: {', '.join(exports) or 'none'})")
        takes_args = entry.signature is None or bool(entry.signature.params)
        values = convert_args(entry.signature, args, path_text) if invoke or (args and takes_args) else []
        # an entry without parameters (a C main, WASI _start) sees the words as its argv
        task = kernel.create_task("main", vm_name, entry, args=tuple(values),
                                  attrs={"argv": [path.name, *args]})
        kernel.activate(task)
    except OsvmError as error:
        click.echo(f"osvm: error: {error}", err=True)
        sys.exit(2)
    report = kernel.run(max_cycles=max_cycles)
    sys.stdout.flush()
    if task.fault is not None:
        sys.exit(1)
    if report.reason == "deadlock":
        click.echo(f"osvm: deadlock at cycle {report.cycles}", err=True)
        for line in report.detail:
            click.echo(f"osvm:   {line}", err=True)
        sys.exit(1)
    if invoke:
        if task.result is not None:
            result_type = entry.signature.result if entry.signature is not None else None
            click.echo(format_result(task.result, str(result_type) if result_type else ""))
        sys.exit(0)
    sys.exit((task.exit_code or 0) & 0xFF)
