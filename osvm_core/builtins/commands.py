"""The core's CLI commands, registered through the same hook as plugin commands."""

from __future__ import annotations

from typing import Any

from ..hookspecs import hookimpl


@hookimpl
def osvm_register_commands(cli: Any) -> None:
    from ..cli.exec_cmd import exec_command
    from ..cli.names_cmd import names_command
    from ..cli.plugins_cmd import plugins_command
    from ..cli.run_cmd import run_command
    from ..cli.trace_cmd import trace_group

    for command in (plugins_command, run_command, exec_command, names_command, trace_group):
        cli.add_command(command)
