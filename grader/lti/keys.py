"""The tool's signing keys: RSA pairs kept in the instance folder (or one given by configuration).

The newest pair signs (AGS token requests, deep linking responses); every pair still in the
folder is published in the key set, so a platform that cached the old key keeps verifying until
the old pair is removed. A key's id is its RFC 7638 thumbprint, as PyLTI1p3 computes it.
"""

from __future__ import annotations

import os
import secrets
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from flask import current_app
from pylti1p3.registration import Registration

KEY_FOLDER = "lti-keys"
KEY_BITS = 2048
_first_key = threading.Lock()


class KeyProblem(Exception):
    """A key that cannot be used or removed, with the reason."""


@dataclass(frozen=True)
class ToolKey:
    """One key pair of the tool."""

    kid: str
    private_pem: str
    public_pem: str
    created_at: datetime
    source: str  # "instance" (generated, in the instance folder) or "configuration"
    path: Path | None

    @property
    def jwk(self) -> dict[str, Any]:
        """The public half as a JSON Web Key (kid, alg RS256, use sig)."""
        return dict(Registration.get_jwk(self.public_pem))


def _folder() -> Path:
    return Path(current_app.instance_path) / KEY_FOLDER


def _from_pem(private_pem: str, created_at: datetime, source: str, path: Path | None) -> ToolKey:
    try:
        private = serialization.load_pem_private_key(private_pem.encode("utf-8"), password=None)
    except (ValueError, TypeError) as exc:
        raise KeyProblem(f"{path or 'the configured key'} is not an unencrypted PEM private "
                        f"key: {exc}") from None
    if not isinstance(private, rsa.RSAPrivateKey):
        raise KeyProblem(f"{path or 'the configured key'} is not an RSA key (LTI signs with RS256)")
    public_pem = private.public_key().public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo).decode()
    kid = Registration.get_jwk(public_pem)["kid"]
    return ToolKey(kid, private_pem, public_pem, created_at, source, path)


def _instance_keys() -> list[ToolKey]:
    folder = _folder()
    if not folder.is_dir():
        return []
    keys = []
    # Names start with the creation time, so the sorted list is oldest first.
    for path in sorted(folder.glob("*.pem")):
        stamp = path.name.split("-", 1)[0]
        try:
            created = datetime.strptime(stamp, "%Y%m%dT%H%M%S%f")
        except ValueError:
            created = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
        keys.append(_from_pem(path.read_text(encoding="utf-8"), created, "instance", path))
    return keys


def _configured_key() -> ToolKey | None:
    setting = current_app.config.get("GRADER_LTI_PRIVATE_KEY") or ""
    if not setting:
        return None
    path = Path(setting)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise KeyProblem(f"GRADER_LTI_PRIVATE_KEY: cannot read {setting}: {exc.strerror}") from None
    stamp = datetime.fromtimestamp(path.stat().st_mtime, UTC).replace(tzinfo=None)
    return _from_pem(text, stamp, "configuration", None)


def all_keys() -> list[ToolKey]:
    """Every published key, the signing one last."""
    keys = _instance_keys()
    configured = _configured_key()
    if configured is not None:
        keys = [k for k in keys if k.kid != configured.kid] + [configured]
    return keys


def _write(private_pem: str) -> ToolKey:
    folder = _folder()
    folder.mkdir(parents=True, exist_ok=True)
    now = datetime.now(UTC).replace(tzinfo=None)
    partial = folder / f".new-{secrets.token_hex(8)}"
    fd = os.open(partial, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "w", encoding="utf-8") as handle:
        handle.write(private_pem)
    key = _from_pem(private_pem, now, "instance", None)
    final = folder / f"{now:%Y%m%dT%H%M%S%f}-{key.kid}.pem"
    os.replace(partial, final)  # whole files only: another process never reads half a key
    return _from_pem(private_pem, now, "instance", final)


def generate() -> ToolKey:
    """A new key pair in the instance folder; it signs from now on."""
    private = rsa.generate_private_key(public_exponent=65537, key_size=KEY_BITS)
    pem = private.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                serialization.NoEncryption()).decode()
    return _write(pem)


def signing_key() -> ToolKey:
    """The key that signs: the configured one, else the newest of the instance folder (made on
    first use)."""
    keys = all_keys()
    if keys:
        return keys[-1]
    with _first_key:  # two requests of the first launch make one key, not one each
        keys = all_keys()
        return keys[-1] if keys else generate()


def rotate() -> ToolKey:
    """Start signing with a new key; the old ones stay published until removed."""
    if _configured_key() is not None:
        raise KeyProblem("the signing key is given by GRADER_LTI_PRIVATE_KEY: replace that file "
                        "to rotate")
    return generate()


def remove(kid: str) -> ToolKey:
    """Stop publishing an old key (platforms that cached it can no longer verify with it)."""
    keys = all_keys()
    found = next((k for k in keys if k.kid == kid), None)
    if found is None:
        raise KeyProblem(f"no key {kid!r}; `flask --app grader lti keys list` shows them")
    if found is keys[-1]:
        raise KeyProblem(f"{kid} is the signing key; rotate first, then remove it")
    if found.path is None:
        raise KeyProblem(f"{kid} comes from the configuration")
    found.path.unlink()
    return found


def jwks() -> dict[str, list[dict[str, Any]]]:
    """The tool's public key set, as served at /lti/jwks."""
    signing_key()
    return {"keys": [key.jwk for key in all_keys()]}
