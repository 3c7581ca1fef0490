"""``osvm conformance itron``: run the TTSP3 scenarios and print the table."""

from __future__ import annotations

import sys

import click


@click.command("itron")
@click.option("--data", "data", type=click.Path(file_okay=False), default=None,
              help="The ttsp3 directory (default: $OSVM_TESTDATA/ttsp3, or ../shared/testdata/ttsp3 "
                   "beside the checkout).")
@click.option("--module", "modules", multiple=True, help="Only this module folder (repeatable).")
@click.option("--service", "services", multiple=True, help="Only this service call (repeatable).")
@click.option("-v", "--verbose", is_flag=True, help="List every failed and skipped scenario with the reason.")
def itron_command(data: str | None, modules: tuple[str, ...], services: tuple[str, ...], verbose: bool) -> None:
    """Hold the μITRON personality to the TOPPERS TTSP3 (ASP3) API scenarios.

    Prints pass / fail / skipped (with the reason) per module and service call;
    the exit status is 1 when any scenario fails, 2 when the data is missing.
    """
    from .ttsp.data import MODULES, data_root, missing_reason
    from .ttsp.report import format_failures, format_table, run_all

    root = data_root(data)
    if root is None:
        click.echo(f"osvm conformance itron: {missing_reason()}", err=True)
        sys.exit(2)
    unknown = set(modules) - set(MODULES)
    if unknown:
        raise click.BadParameter(f"unknown module(s) {sorted(unknown)}; known: {', '.join(MODULES)}",
                                 param_hint="--module")
    results = run_all(root, modules or MODULES, services)
    if verbose:
        details = format_failures(results)
        if details:
            click.echo(details)
            click.echo("")
    click.echo(format_table(results))
    if any(result.status == "fail" for result in results):
        sys.exit(1)


def add_commands(cli: click.Group) -> None:
    """Put ``itron`` under ``osvm conformance`` (made here unless another plugin made it)."""
    group = cli.commands.get("conformance")
    if not isinstance(group, click.Group):
        @click.group("conformance")
        def group() -> None:
            """Conformance suites of the installed plugins."""
        cli.add_command(group)
    group.add_command(itron_command)
