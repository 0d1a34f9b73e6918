"""Rate limits on signing in, registering, creating tokens and submitting, with Flask-Limiter.

Each app has its own limiter: its storage is memory in the embedded mode and the shared Redis in
the scaled mode, so every web process counts against the same budget. A hit is one atomic step
of the storage (never a count followed by an insert), so parallel requests cannot slip past a
limit. The views call `check` once they know who is asking (the learner of a token, the username
of a sign-in), which a decorator evaluated before authentication could not.
"""

from __future__ import annotations

import math
import time

from flask import Flask, current_app
from flask_limiter import Limiter
from flask_limiter.util import get_remote_address
from limits import RateLimitItemPerSecond

from .services.errors import ServiceError

EXTENSION = "grader_limits"


def init_app(app: Flask) -> None:
    """Bind a limiter with this app's storage (memory, or Redis with the Celery queue)."""
    app.config.setdefault("RATELIMIT_STORAGE_URI", app.config["GRADER_REDIS_URL"]
                          if app.config["GRADER_QUEUE"] == "celery" else "memory://")
    app.config.setdefault("RATELIMIT_STRATEGY", "moving-window")
    app.config.setdefault("RATELIMIT_KEY_PREFIX", "grader")
    app.extensions[EXTENSION] = Limiter(get_remote_address, app=app)


def client_address() -> str:
    """The client's address (the proxy's view of it when GRADER_PROXY_HOPS trusts one)."""
    return get_remote_address() or "unknown"


def retry_after(scope: str, rate: tuple[int, int], *keys: str) -> int | None:
    """Count one request against `rate` (count, seconds) for `keys`; the seconds to wait if over.

    A rate of 0 requests is no limit.
    """
    count, seconds = rate
    if count <= 0:
        return None
    limiter: Limiter = current_app.extensions[EXTENSION]
    item = RateLimitItemPerSecond(count, seconds)
    identifiers = (scope, *keys)
    if limiter.limiter.hit(item, *identifiers):
        return None
    reset_at, _remaining = limiter.limiter.get_window_stats(item, *identifiers)
    return max(1, math.ceil(reset_at - time.time()))


def check(scope: str, rate: tuple[int, int], *keys: str, what: str) -> None:
    """`retry_after` as a 429 `ServiceError` naming `what` was limited and when to try again."""
    wait = retry_after(scope, rate, *keys)
    if wait is not None:
        count, seconds = rate
        raise ServiceError(429, "rate_limited",
                           f"Too many {what}: at most {count} every {seconds} seconds. "
                           f"Try again in {wait} s.", headers={"Retry-After": str(wait)})


def check_sign_in(username: str, what: str = "sign-in attempts") -> None:
    """Sign-ins and token requests: a budget per address and one per username."""
    rate = current_app.config["GRADER_LOGIN_RATE_LIMIT"]
    address_rate = (rate[0] * 3, rate[1]) if rate[0] else rate
    check("sign-in-address", address_rate, client_address(), what=what)
    if username:
        check("sign-in-user", rate, username.strip().lower(), what=f"{what} for this account")


def check_registration() -> None:
    """New accounts: a budget per address."""
    check("register", current_app.config["GRADER_REGISTER_RATE_LIMIT"], client_address(),
          what="new accounts from this address")

