"""The `exchange` command: a Flask CLI group around create_app(). Commands are thin: they parse
options, call one service function and print its answer."""
from __future__ import annotations

import sys

import click
from flask import Flask, current_app
from flask.cli import FlaskGroup, with_appcontext

from exchange.core.context import current_context
from exchange.core.errors import DomainError


def _make_app() -> Flask:
    from exchange import create_app
    return create_app()


def _fail(message: str, code: int = 1):
    click.echo(f"exchange: {message}", err=True)
    sys.exit(code)


def register_commands(app: Flask) -> None:
    app.cli.add_command(users)
    app.cli.add_command(tokens)
    app.cli.add_command(demo)
    app.cli.add_command(scheduler)
    app.cli.add_command(feed)
    app.cli.add_command(retention_scan)
    app.cli.add_command(retention_scan, "scan")     # its newer name (spec/programmes.md)
    app.cli.add_command(audit)


@click.group(help="User accounts.")
def users():
    pass


@users.command("create", help="Create a user of one role in one region.")
@click.option("--username", required=True)
@click.option("--password", required=True)
@click.option("--role", required=True, help="sending_staff, receiving_staff, liaison_officer, finance_approver, admin or auditor")
@click.option("--region", required=True, help="6-digit region code named in a pairing file")
@click.option("--display-name", default=None)
@with_appcontext
def create_user_command(username, password, role, region, display_name):
    from exchange.accounts.service import create_user

    try:
        user = create_user(current_context(), username=username, password=password, role=role, region=region,
                           display_name=display_name)
    except DomainError as exc:
        detail = "; ".join(d["message"] for d in exc.details) if exc.details else exc.message
        _fail(str(detail))
    click.echo(f"created user {user.username} ({user.role}, region {user.region})")


@users.command("unlock", help="Lift the lock of an account locked after too many failed logins.")
@click.option("--username", required=True)
@with_appcontext
def unlock_user_command(username):
    from exchange.accounts.roles import ADMIN, Actor
    from exchange.accounts.service import unlock, user_by_username

    user = user_by_username(username)
    if user is None:
        _fail(f"no user {username}")
    # Whoever can run this command administers the instance: recorded as the region's system.
    ctx = current_context()
    unlock(ctx, Actor(user_id=None, username="exchange users unlock", role=ADMIN, region=user.region), user.id)
    click.echo(f"unlocked {user.username}")


@click.group(help="API tokens.")
def tokens():
    pass


@tokens.command("create", help="Print a new API token for a user (shown once, stored hashed).")
@click.option("--username", required=True)
@with_appcontext
def create_token_command(username):
    from exchange.accounts.service import create_token, user_by_username

    user = user_by_username(username)
    if user is None:
        _fail(f"no user {username}")
    click.echo(create_token(current_context(), user))


@click.command(help="Load the demo: users per role and region, seekers, employers and postings (safe to run twice).")
@with_appcontext
def demo():
    from exchange.demo import load_demo

    summary = load_demo(current_context())
    click.echo(summary)


@click.command(help="Run the scheduled jobs in the foreground; safe to start twice (one does the work).")
@with_appcontext
def scheduler():
    import logging

    from exchange.scheduler import run_forever

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    run_forever(current_app._get_current_object())


@click.group(help="Partner feeds: offline bundles and pulls.")
def feed():
    pass


@feed.command("export", help="Write a signed bundle of outbox events (after seq N) to standard output.")
@click.option("--pairing", "pairing_id", required=True)
@click.option("--after", type=int, default=0, show_default=True)
@click.option("--region", default=None, help="the authoring region, when this instance hosts both")
@with_appcontext
def feed_export(pairing_id, after, region):
    import json

    from exchange.protocol.bundles import export_bundle
    try:
        bundle = export_bundle(current_context(), pairing_id, region, after)
    except DomainError as exc:
        _fail("; ".join(d["message"] for d in exc.details) or exc.message)
    click.echo(json.dumps(bundle, ensure_ascii=False))


@feed.command("import", help="Verify a bundle and apply its events (the same apply path as the online feed).")
@click.argument("path", type=click.File("rb"))
@with_appcontext
def feed_import(path):
    import json

    from exchange.core import safejson
    from exchange.protocol.bundles import import_bundle
    try:
        bundle = safejson.loads(path.read())
    except ValueError as exc:
        _fail(f"the file is not usable JSON: {exc}")
    try:
        counts = import_bundle(current_context(), bundle)
    except DomainError as exc:
        _fail("; ".join(d["message"] for d in exc.details) or exc.message)
    click.echo(json.dumps(counts))
    if counts["stopped"]:
        _fail(f"stopped at {counts['stopped']}")


@feed.command("pull", help="Pull every remote feed now.")
@with_appcontext
def feed_pull():
    import json

    from exchange.protocol.client import pull, remote_feeds
    ctx = current_context()
    results = [pull(ctx, p, region) for p, region in remote_feeds(ctx)]
    click.echo(json.dumps([r.__dict__ for r in results], ensure_ascii=False))


@click.command("retention-scan", help="Create the pending claims of every employment and monthly programme (稳岗奖补 "
                                     "among them) reached on or before a date; prints a JSON summary. Also: exchange scan.")
@click.option("--as-of", "as_of", required=True, help="YYYY-MM-DD (Asia/Shanghai calendar date)")
@with_appcontext
def retention_scan(as_of):
    from datetime import date

    from exchange.scheduler import holder_id
    from exchange.subsidies.retention import scan_all, summary_json
    try:
        day = date.fromisoformat(as_of)
    except ValueError:
        _fail(f"--as-of must be a date YYYY-MM-DD, not {as_of!r}")
    click.echo(summary_json(scan_all(current_context(), day, holder_id())))


cli = FlaskGroup(name="exchange", create_app=_make_app, help="东西部劳务协作 exchange.")


def main() -> None:
    from exchange import StartupError

    try:
        cli.main(prog_name="exchange")
    except StartupError as exc:
        _fail(str(exc), 2)


@click.group(help="The audit trail: seal it into its hash chain, and verify the chain.")
def audit():
    pass


@audit.command("seal", help="Seal the entries written since the last seal (the scheduler does it every minute).")
@with_appcontext
def audit_seal_command():
    from exchange.audit.chain import seal

    click.echo(f"sealed {seal(current_context())} entries")


@audit.command("verify", help="Check the whole hash chain; exit 1 and name the first entry that does not fit.")
@with_appcontext
def audit_verify_command():
    from exchange.audit.chain import verify

    verdict = verify(current_context())
    pending = f"; {verdict.unsealed} written since the last seal, not yet in the chain" if verdict.unsealed else ""
    if verdict.intact:
        click.echo(f"audit trail intact: {verdict.sealed} entries in the chain{pending}")
        return
    entry = verdict.first_bad
    where = (f"entry {entry.id} (#{entry.seal_seq} of the chain, {entry.at.isoformat()}, {entry.action} by {entry.username}): "
             if entry is not None else "")
    _fail(f"audit trail NOT intact: {where}{verdict.problem} ({verdict.sealed} entries checked before it{pending})")
