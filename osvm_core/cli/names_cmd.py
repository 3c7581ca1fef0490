"""``osvm names SYSTEM.toml [PATH]``: introspect the names tree of a composed system."""

from __future__ import annotations

import click

from .run_cmd import compose


@click.command("names")
@click.argument("system_file", type=click.Path(dir_okay=False))
@click.argument("path", default="/")
@click.option("-r", "--recursive", is_flag=True, help="List every entry below PATH.")
@click.pass_obj
def names_command(env, system_file: str, path: str, recursive: bool) -> None:
    """List the entries under PATH (default /) with their signatures, without running anything."""
    kernel = compose(env, system_file).kernel
    if recursive:
        for entry in kernel.names.walk(path):
            click.echo(entry.describe().replace(entry.name, entry.path, 1))
    else:
        click.echo(kernel.names.introspect(path))
