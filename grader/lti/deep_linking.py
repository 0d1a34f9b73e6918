"""Deep linking: a teacher in the LMS picks a challenge (or quiz) from our page, and the LMS gets
a resource link to it with a line item for its scores."""

from __future__ import annotations

from dataclasses import dataclass

from pylti1p3.deep_link_resource import DeepLinkResource
from pylti1p3.lineitem import LineItem
from sqlalchemy import select

from ..extensions import db
from ..models import Challenge
from ..services.errors import ServiceError
from .launch import ToolLaunch

SETTINGS = "https://purl.imsglobal.org/spec/lti-dl/claim/deep_linking_settings"


@dataclass(frozen=True)
class DeepLinkAnswer:
    """The signed answer to post back to the LMS, and where."""

    return_url: str
    jwt: str


def choices() -> list[Challenge]:
    """What a teacher may place in the LMS: the published challenges, in curriculum order."""
    return list(db.session.scalars(select(Challenge).where(Challenge.published.is_(True))
                                   .order_by(Challenge.track, Challenge.order, Challenge.slug)))


def accepts_links(launch: ToolLaunch) -> bool:
    """Does the LMS take LTI resource links from this deep linking request?"""
    settings = launch.get_launch_data().get(SETTINGS) or {}
    return "ltiResourceLink" in (settings.get("accept_types") or [])


def answer(launch: ToolLaunch, challenge: Challenge, launch_url: str) -> DeepLinkAnswer:
    """A resource link to the challenge (custom parameter `challenge`) with a line item scored
    out of the challenge's points, signed with the tool's key."""
    if not challenge.published:
        raise ServiceError(404, "not_found", f"Challenge {challenge.slug!r} is not published")
    if not accepts_links(launch):
        raise ServiceError(409, "links_not_accepted",
                           "The LMS did not ask for LTI resource links in this request")
    line_item = (LineItem().set_score_maximum(challenge.points).set_label(challenge.title)
                 .set_resource_id(challenge.slug).set_tag("score"))
    resource = (DeepLinkResource().set_url(launch_url).set_title(challenge.title)
                .set_custom_params({"challenge": challenge.slug, "due_at": "$ResourceLink."
                                    "submission.endDateTime"})
                .set_lineitem(line_item))
    deep_link = launch.get_deep_link()
    settings = launch.get_launch_data().get(SETTINGS) or {}
    return DeepLinkAnswer(str(settings.get("deep_link_return_url") or ""),
                          deep_link.get_response_jwt([resource]))
