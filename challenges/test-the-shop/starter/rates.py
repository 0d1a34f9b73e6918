"""Exchange rates from an outside service. Tests must never call it: mock get_rate()."""

from __future__ import annotations

import json
import urllib.error
import urllib.request

from flask import current_app


class RatesUnavailable(Exception):
    """The exchange-rate service could not be reached or gave a bad answer."""


def get_rate(currency: str) -> float:
    """How many units of `currency` one US dollar buys; KeyError for an unknown currency."""
    url = f"{current_app.config['RATES_URL']}?base=USD&symbols={currency}"
    try:
        with urllib.request.urlopen(url, timeout=3) as response:
            rates = json.load(response)["rates"]
    except (OSError, ValueError, KeyError) as exc:
        raise RatesUnavailable(str(exc)) from None
    return float(rates[currency])
