"""A tiny note store kept in a JSON file. Do not change this file: it counts openings and closings."""

from __future__ import annotations

import json
import os


class Store:
    """An open connection to the notes file: open it once, close it when done."""

    opened = 0
    closed = 0

    def __init__(self, path: str) -> None:
        self.path = path
        self.is_open = True
        Store.opened += 1
        if os.path.exists(path):
            with open(path, encoding="utf-8") as fh:
                self.notes: list[str] = json.load(fh)
        else:
            self.notes = []

    def all(self) -> list[str]:
        self._check()
        return list(self.notes)

    def add(self, text: str) -> None:
        self._check()
        self.notes.append(text)
        with open(self.path, "w", encoding="utf-8") as fh:
            json.dump(self.notes, fh)

    def close(self) -> None:
        if self.is_open:
            self.is_open = False
            Store.closed += 1

    def _check(self) -> None:
        if not self.is_open:
            raise RuntimeError("this store was already closed")


def counters() -> dict[str, int]:
    """How many stores were opened and closed in this process."""
    return {"opened": Store.opened, "closed": Store.closed}
