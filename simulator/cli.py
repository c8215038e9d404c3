"""Command line: `flask --app simulator scenario list|validate|storm`."""

from __future__ import annotations

import sys
from pathlib import Path

import click
from flask import Flask, current_app
from flask.cli import AppGroup

from .engine.actions import ActionError, parse_actions_jsonl
from .engine.loader import ScenarioError, load_directory, load_scenario, parse_duration
from .engine.storm import iter_posts, post_json

scenario_cli = AppGroup("scenario", help="Validate scenarios and print their storms.")


@scenario_cli.command("list")
def list_scenarios() -> None:
    """List the shipped scenarios (id, severity, duration, injects, title)."""
    scenarios, errors = load_directory(current_app.config["SCENARIO_DIR"])
    for s in sorted(scenarios, key=lambda s: (s.severity, s.id)):
        injects = len(s.scheduled_injects)
        click.echo(
            f"{s.id:<20} severity {s.severity}  {int(s.duration // 60):>4} min  "
            f"{injects:>2} injects  {'/'.join(s.languages)}  {s.title.en}"
        )
    for line in errors:
        click.echo(line, err=True)
    if errors:
        sys.exit(1)


@scenario_cli.command("validate")
@click.argument("paths", nargs=-1, required=True, type=click.Path(dir_okay=False))
def validate(paths: tuple[str, ...]) -> None:
    """Validate scenario files; exit 1 with one error per line on stderr if any is invalid."""
    failed = False
    for path in paths:
        try:
            scenario = load_scenario(Path(path), source=path)
        except ScenarioError as exc:
            failed = True
            for line in exc.errors:
                click.echo(line, err=True)
        else:
            click.echo(f"{path}: ok ({scenario.id})")
    if failed:
        sys.exit(1)


def _duration(ctx, param, value):
    if value is None:
        return None
    seconds = parse_duration(value)
    if seconds is None:
        raise click.BadParameter(f"{value!r} is not a duration (use 25m, 1h30m or seconds)")
    return seconds


@scenario_cli.command("storm")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--seed", type=int, required=True, help="Seed of the storm (same seed, same posts).")
@click.option("--lang", type=click.Choice(["fr", "en"]), default="fr", show_default=True)
@click.option(
    "--actions",
    "actions_path",
    type=click.Path(dir_okay=False),
    help="The team's actions, one JSON object per line.",
)
@click.option("--until", callback=_duration, help="Stop at this simulated time (e.g. 2h).")
def storm(path: str, seed: int, lang: str, actions_path: str | None, until: float | None) -> None:
    """Print the storm's posts as JSON Lines, in time order."""
    try:
        scenario = load_scenario(Path(path), source=path)
    except ScenarioError as exc:
        for line in exc.errors:
            click.echo(line, err=True)
        sys.exit(1)
    actions = []
    if actions_path:
        try:
            text = Path(actions_path).read_text(encoding="utf-8")
            actions = parse_actions_jsonl(text, source=actions_path)
        except (OSError, UnicodeDecodeError) as exc:
            click.echo(f"{actions_path}: cannot read the actions: {exc}", err=True)
            sys.exit(1)
        except ActionError as exc:
            click.echo(str(exc), err=True)
            sys.exit(1)
    if lang not in scenario.languages:
        click.echo(f"{path}: the scenario is not written in {lang}", err=True)
        sys.exit(1)
    out = sys.stdout
    write = out.write
    for post in iter_posts(scenario, seed, lang, actions, until=until):
        write(post_json(post))
        write("\n")
    out.flush()


def init_app(app: Flask) -> None:
    app.cli.add_command(scenario_cli)
