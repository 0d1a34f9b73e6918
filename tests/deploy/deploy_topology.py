"""Shared names of the scale-out topology test: where things are, and the running topology."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
ENTRYPOINT = ROOT / "deploy" / "entrypoint.sh"
# A tiny challenge with a generous time limit, so a busy machine slows the test, not the verdicts.
CHALLENGES_DIR = Path(__file__).resolve().parent / "challenges"
CHALLENGE = "scale-greeting"
LEARNERS = 20
PASSWORD = "topology-pass-1"
TEACHER = "teacher"


@dataclass
class Topology:
    """Addresses and handles of the running topology."""

    web: list[str]
    database_url: str
    redis_url: str
    env: dict[str, str]
    workers: list[str]
    logs: dict[str, Path] = field(default_factory=dict)

    def tail(self, lines: int = 40) -> str:
        """The end of every process log, for a failure message."""
        out = []
        for name, path in self.logs.items():
            text = path.read_text(errors="replace").splitlines()[-lines:] if path.exists() else []
            out.append(f"--- {name} ---\n" + "\n".join(text))
        return "\n".join(out)


def fresh_database(postgres_url: str, name: str) -> str:
    """A new, empty database on the tests' PostgreSQL server, so each module starts clean."""
    import psycopg

    plain = postgres_url.replace("postgresql+psycopg://", "postgresql://", 1)
    with psycopg.connect(plain, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}"')
        conn.execute(f'CREATE DATABASE "{name}"')
    return postgres_url.rsplit("/", 1)[0] + "/" + name


def redis_database(redis_url: str, number: int) -> str:
    """Another numbered database of the tests' Redis, so brokers of two modules never mix."""
    return redis_url.rsplit("/", 1)[0] + f"/{number}"
