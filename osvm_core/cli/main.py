"""Entry point of the ``osvm`` command.

Plugins are loaded before the group runs, so plugin commands appear in
``--help``; plugin modules are cheap to import (no VM is imported until used).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

from .. import __version__
from ..errors import OsvmError
from ..plugins import PluginSet, load_plugins
from ..registry import Registry, build_registry


@dataclass
class Environment:
    """What every command gets as ``ctx.obj``."""

    plugins: PluginSet
    registry: Registry


def make_cli(plugins: PluginSet) -> click.Group:
    """A fresh ``osvm`` group with the commands of ``plugins`` (tests build their own)."""

    @click.group(context_settings={"help_option_names": ["-h", "--help"]})
    @click.version_option(__version__, "-V", "--version", prog_name="osvm")
    @click.pass_context
    def cli(ctx: click.Context) -> None:
        """Compose and run operating systems built from virtual machines."""
        ctx.obj = Environment(plugins, build_registry(plugins))

    plugins.manager.hook.osvm_register_commands(cli=cli)
    return cli


def main() -> None:
    try:
        plugins = load_plugins()
    except OsvmError as error:
        click.echo(f"osvm: error: {error}", err=True)
        sys.exit(2)
    make_cli(plugins)(prog_name="osvm")


cli = main
