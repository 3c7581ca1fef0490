"""``osvm plugins``: what is installed, from which distribution, and what it registers."""

from __future__ import annotations

import json

import click


@click.command("plugins")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of a table.")
@click.pass_obj
def plugins_command(env, as_json: bool) -> None:
    """List every plugin with its distribution, version and what it registers."""
    rows = []
    for info in sorted(env.plugins.infos.values(), key=lambda i: (not i.builtin, i.name)):
        hooks = sorted(impl.name for impl in env.plugins.manager.get_hookcallers(
            env.plugins.manager.get_plugin(info.name)) or [])
        rows.append({"name": info.name, "distribution": info.distribution, "version": info.version,
                     "module": info.module, "builtin": info.builtin,
                     "registers": {k: sorted(v) for k, v in sorted(info.registers.items())},
                     "hooks": hooks})
    problems = [{"name": p.name, "distribution": p.distribution, "error": p.error}
                for p in env.plugins.problems]
    if as_json:
        click.echo(json.dumps(rows + problems, indent=2))
        return
    for row in rows:
        registers = "; ".join(f"{kind}: {', '.join(names)}" for kind, names in row["registers"].items())
        tag = " (built-in)" if row["builtin"] else ""
        click.echo(f"{row['name']:<14} {row['distribution']} {row['version']}{tag}")
        if registers:
            click.echo(f"{'':<14} {registers}")
    for problem in problems:
        click.echo(f"{problem['name']:<14} {problem['distribution']}  SKIPPED: {problem['error']}")
