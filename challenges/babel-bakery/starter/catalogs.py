"""Compile the message catalogs when the app starts, as `pybabel compile -d translations` does.

This module is given: you do not submit it. You send `.po` files, which are text; Flask-Babel
reads compiled `.mo` files, which are binary. `create_app()` calls `compile_catalogs()` so the
`.mo` files are built from your `.po` files each time the app starts.
"""

from __future__ import annotations

from pathlib import Path

# imported with this module rather than on the first check: finding the checkers scans the
# metadata of every installed package, and the app may start many times
from babel.messages import checkers  # noqa: F401
from babel.messages.mofile import write_mo
from babel.messages.pofile import PoFileError, read_po


class CatalogError(ValueError):
    """A .po file that cannot be compiled: the message names the file, the line and the problem."""


def compile_catalogs(directory: str | Path) -> list[str]:
    """Compile every <directory>/<locale>/LC_MESSAGES/messages.po; return the compiled locales.

    Like `pybabel compile`, entries marked `#, fuzzy` are left out, and so is a whole catalog
    whose header is fuzzy. Unlike it, a broken catalog stops the app with the reason instead of
    a line in a log that nobody reads: pybabel only logs check errors and writes the file anyway.
    """
    compiled = []
    for po_path in sorted(Path(directory).glob("*/LC_MESSAGES/messages.po")):
        locale = po_path.parent.parent.name
        where = po_path.relative_to(Path(directory).parent)
        try:
            with po_path.open("rb") as source:
                catalog = read_po(source, locale=locale, abort_invalid=True)
        except (PoFileError, ValueError, UnicodeDecodeError) as exc:
            raise CatalogError(f"{where}: {exc}") from None
        problems = [f"{where}:{message.lineno}: {error}"
                    for message, errors in catalog.check() for error in errors]
        if problems:
            raise CatalogError("; ".join(problems))
        if catalog.fuzzy:
            continue
        with po_path.with_suffix(".mo").open("wb") as target:
            write_mo(target, catalog)
        compiled.append(locale)
    return compiled
