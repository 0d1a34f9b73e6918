"""The payment provider's client. In production it calls the provider over the network.

This module is given: you do not submit it. In the sandbox it answers at once, from the card
number: a number ending in 0002 is declined, one ending in 0009 makes the provider time out, and
any other number is charged.
"""

from __future__ import annotations


class CardDeclined(Exception):
    """The bank refused the payment: an everyday outcome, not a bug."""


class GatewayUnavailable(Exception):
    """The provider did not answer: an incident someone must look at."""


def charge(order_id: int, card_number: str, amount: float) -> str:
    """Charge `amount` euros to the card and return the charge's id."""
    if card_number.endswith("0002"):
        raise CardDeclined("the card was declined")
    if card_number.endswith("0009"):
        raise GatewayUnavailable("the payment provider did not answer within 10 s")
    return f"ch_{order_id}"
