"""`flask --app grader lti register|list|keys ...`: platforms and the tool's keys."""

from __future__ import annotations

import click
from flask.cli import AppGroup

from ..commands import needs_database
from ..services import ServiceError
from . import keys, platforms

lti_cli = AppGroup("lti", help="The LTI 1.3 tool: registered platforms and the tool's keys.")
keys_cli = AppGroup("keys", help="The tool's signing keys (published at /lti/jwks).")
lti_cli.add_command(keys_cli)

TOOL_PATHS = ("OIDC login URL: /lti/login", "Launch (redirect) URL: /lti/launch",
              "Deep linking URL: /lti/launch", "Key set (JWKS) URL: /lti/jwks")


@lti_cli.command("register")
@click.option("--issuer", required=True, help="The platform's issuer (iss), e.g. "
              "https://canvas.instructure.com.")
@click.option("--client-id", required=True, help="The client id the platform gave the tool.")
@click.option("--deployment-id", "deployment_ids", required=True, multiple=True,
              help="A deployment id of the tool on the platform (repeat for several).")
@click.option("--login-url", required=True, help="The platform's OIDC authorization URL.")
@click.option("--token-url", required=True, help="The platform's OAuth2 token URL.")
@click.option("--jwks-url", required=True, help="The platform's public key set URL.")
@needs_database
def register(issuer: str, client_id: str, deployment_ids: tuple[str, ...], login_url: str,
             token_url: str, jwks_url: str) -> None:
    """Register a platform, or update the one with this issuer and client id.

    Deployment ids are added to those already registered.

    \b
    Example:
      flask --app grader lti register --issuer https://canvas.instructure.com \\
        --client-id 10000000000001 --deployment-id 1:abc \\
        --login-url https://sso.canvaslms.com/api/lti/authorize_redirect \\
        --token-url https://sso.canvaslms.com/login/oauth2/token \\
        --jwks-url https://sso.canvaslms.com/api/lti/security/jwks
    """
    try:
        platform, created = platforms.register(issuer, client_id, deployment_ids, login_url,
                                               token_url, jwks_url)
    except ServiceError as exc:
        raise click.ClickException(exc.message) from None
    click.echo(f"{'Registered' if created else 'Updated'} platform {platform.issuer} "
               f"(client id {platform.client_id}; deployments: "
               f"{', '.join(platform.deployment_ids)})")
    click.echo("Give the platform these URLs on this server:")
    for line in TOOL_PATHS:
        click.echo(f"  {line}")


@lti_cli.command("list")
@needs_database
def list_platforms() -> None:
    """List the registered platforms with their last launch and passback."""
    rows = [platforms.summary(p) for p in platforms.every()]
    if not rows:
        click.echo("No platform is registered; add one with `flask --app grader lti register`.")
        return
    for row in rows:
        click.echo(f"{row['issuer']}  client {row['client_id']}  deployments "
                   f"{', '.join(row['deployment_ids'])}")
        click.echo(f"  last launch {row['last_launch_at'] or 'never'} · last passback "
                   f"{row['last_passback_at'] or 'never'} · courses {row['courses']} · "
                   f"scores waiting {row['pending']} · failed {row['failed']}")


@keys_cli.command("list")
def list_keys() -> None:
    """List the published keys; the last one signs."""
    try:
        signing = keys.signing_key()
        for key in keys.all_keys():
            mark = "signing" if key.kid == signing.kid else "published"
            click.echo(f"{key.kid}  {mark:<9}  {key.source}  {key.created_at:%Y-%m-%d %H:%M}")
    except keys.KeyProblem as exc:
        raise click.ClickException(str(exc)) from None


@keys_cli.command("rotate")
def rotate_keys() -> None:
    """Sign with a new key from now on; the old key stays published until removed."""
    try:
        old = keys.signing_key()
        new = keys.rotate()
    except keys.KeyProblem as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Now signing with {new.kid}; {old.kid} stays in /lti/jwks until "
               f"`flask --app grader lti keys remove {old.kid}`")


@keys_cli.command("remove")
@click.argument("kid")
def remove_key(kid: str) -> None:
    """Stop publishing the old key KID."""
    try:
        removed = keys.remove(kid)
    except keys.KeyProblem as exc:
        raise click.ClickException(str(exc)) from None
    click.echo(f"Removed {removed.kid} from the key set")
