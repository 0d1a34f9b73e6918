"""The public leaderboard (updated live on `leaderboard.update`)."""

from __future__ import annotations

from flask import Blueprint, render_template

from ..services import leaderboard

bp = Blueprint("leaderboard", __name__, url_prefix="/leaderboard")


@bp.route("/")
def index() -> str:
    """Standings: rank, name, score, challenges solved, last improvement."""
    return render_template("leaderboard/index.html", rows=leaderboard.standings())
