"""Where the `grader` tool keeps its server address and API token."""

from __future__ import annotations

import json
import os
from dataclasses import dataclass
from pathlib import Path

DEFAULT_SERVER = "http://127.0.0.1:5000"
CONFIG_FILE = "config.json"


class ConfigError(Exception):
    """The saved configuration cannot be read or written."""


def config_dir() -> Path:
    """The tool's folder: `$XDG_CONFIG_HOME/grader`, else `~/.config/grader`."""
    base = os.environ.get("XDG_CONFIG_HOME", "").strip()
    # The XDG spec says a relative value is invalid and must be ignored.
    if not base or not os.path.isabs(base):
        base = str(Path.home() / ".config")
    return Path(base) / "grader"


def config_path() -> Path:
    return config_dir() / CONFIG_FILE


def normalize_server(url: str) -> str:
    """`localhost:5000` -> `http://localhost:5000`; no trailing slash."""
    url = url.strip()
    if not url:
        raise ConfigError("The server address is empty")
    if "://" not in url:
        url = "http://" + url
    if not url.startswith(("http://", "https://")):
        raise ConfigError(f"The server address must start with http:// or https://, got {url!r}")
    return url.rstrip("/")


@dataclass
class Settings:
    """The effective settings: the saved file, overridden by GRADER_SERVER and GRADER_TOKEN."""

    server: str
    token: str | None
    username: str | None
    server_from_env: bool = False
    token_from_env: bool = False


def read_saved() -> dict[str, str]:
    """The saved file's content, or an empty dict when nothing was saved yet."""
    path = config_path()
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except OSError as exc:
        raise ConfigError(f"Cannot read {path}: {exc.strerror}") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError:
        raise ConfigError(f"{path} is not valid JSON; fix it or run `grader login` again") from None
    if not isinstance(data, dict):
        raise ConfigError(f"{path} should hold a JSON object; run `grader login` again")
    return {k: v for k, v in data.items() if isinstance(v, str)}


def load() -> Settings:
    """The settings the commands use."""
    saved = read_saved()
    env_server = os.environ.get("GRADER_SERVER", "").strip()
    env_token = os.environ.get("GRADER_TOKEN", "").strip()
    server = normalize_server(env_server or saved.get("server") or DEFAULT_SERVER)
    saved_token = saved.get("token")
    # A token saved for another server must not be sent to the one GRADER_SERVER names.
    if env_server and saved.get("server") and normalize_server(saved["server"]) != server:
        saved_token = None
    return Settings(
        server=server,
        token=env_token or saved_token or None,
        username=saved.get("username") if not env_token else None,
        server_from_env=bool(env_server),
        token_from_env=bool(env_token),
    )


def save(server: str, token: str, username: str) -> Path:
    """Write the login atomically, readable by the owner only (mode 0600)."""
    folder = config_dir()
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    path = folder / CONFIG_FILE
    data = json.dumps({"server": server, "token": token, "username": username}, indent=2) + "\n"
    tmp = folder / f".{CONFIG_FILE}.{os.getpid()}.tmp"
    try:
        # Created 0600 from the start: the token is never readable by others, not even briefly.
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(data)
        os.chmod(tmp, 0o600)
        os.replace(tmp, path)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise ConfigError(f"Cannot write {path}: {exc.strerror}") from None
    return path


def forget_token() -> bool:
    """Remove the saved token (keeping the server address); True if there was one."""
    saved = read_saved()
    if "token" not in saved:
        return False
    save_plain = {k: v for k, v in saved.items() if k != "token"}
    path = config_path()
    try:
        fd = os.open(path, os.O_WRONLY | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(json.dumps(save_plain, indent=2) + "\n")
    except OSError as exc:
        raise ConfigError(f"Cannot write {path}: {exc.strerror}") from None
    return True
