"""Hidden tests: the cart kept in the session."""

from __future__ import annotations

import pytest


@pytest.mark.points(10)
def test_secret_key_and_samesite(learner):
    """The session is signed with a secret key and sent with SameSite=Lax"""
    assert learner.eval("bool(app.config.get('SECRET_KEY'))"), (
        "The session cannot work without a secret key"
    )
    assert learner.eval("app.config.get('SESSION_COOKIE_SAMESITE')") == "Lax", (
        "Check the SameSite setting of the session cookie"
    )


@pytest.mark.learner_env(SECRET_KEY="from-the-environment-1234")
@pytest.mark.points(5)
def test_secret_key_from_environment(learner):
    """The secret key comes from the SECRET_KEY environment variable when it is set"""
    assert learner.eval("app.config.get('SECRET_KEY')") == "from-the-environment-1234", (
        "Production secrets should come from the environment, not from the code"
    )


@pytest.mark.points(10)
def test_empty_cart(client):
    """A new visitor has an empty cart"""
    r = client.get("/cart")
    assert r.status_code == 200, "GET /cart should always succeed"
    assert r.get_json() == {"cart": {}, "count": 0}, "A new visitor's cart is empty"


@pytest.mark.points(15)
def test_several_items_are_all_remembered(client):
    """Every item added over several requests stays in the cart"""
    client.post("/cart/items", json={"sku": "apple", "qty": 2})
    client.post("/cart/items", json={"sku": "pear", "qty": 1})
    assert client.get("/cart").get_json() == {"cart": {"apple": 2, "pear": 1}, "count": 3}, (
        "Only the first item survived: does Flask know the dictionary inside the session changed?"
    )
    r = client.post("/cart/items", json={"sku": "apple", "qty": 3})
    assert r.status_code == 201, "Adding to the cart should answer 201 Created"
    assert r.get_json() == {"cart": {"apple": 5, "pear": 1}, "count": 6}, (
        "The answer to an add should show the whole cart, with quantities added up"
    )
    assert client.get("/cart").get_json() == {"cart": {"apple": 5, "pear": 1}, "count": 6}, (
        "The cart should be the same on the next request"
    )


@pytest.mark.points(2)
@pytest.mark.parametrize(
    "body",
    [
        {"sku": "apple", "qty": 0},
        {"sku": "apple", "qty": -3},
        {"sku": "apple", "qty": 100},
        {"sku": "apple", "qty": "2"},
        {"sku": "apple", "qty": True},
        {"sku": "apple", "qty": 1.5},
        {"sku": "", "qty": 1},
        {"qty": 1},
        {"sku": ["apple"], "qty": 1},
    ],
)
def test_bad_items_are_refused(client, body):
    """Bad quantities and product codes are refused with 400"""
    r = client.post("/cart/items", json=body)
    assert r.status_code == 400, "Never trust what the client sends: check sku and qty"
    assert "error" in (r.get_json() or {}), "Explain the problem in an 'error' field"
    assert client.get("/cart").get_json()["count"] == 0, "A refused item must not reach the cart"


@pytest.mark.points(5)
def test_body_that_is_not_json(client):
    """A body that is not JSON is refused with 400"""
    r = client.post("/cart/items", data="apple=2", content_type="application/x-www-form-urlencoded")
    assert r.status_code == 400, "Answer 400, not a server error, when the body is not JSON"


@pytest.mark.points(10)
def test_remove_item(client):
    """An item can be removed; removing an unknown item is 404"""
    client.post("/cart/items", json={"sku": "apple", "qty": 2})
    client.post("/cart/items", json={"sku": "pear", "qty": 1})
    r = client.delete("/cart/items/apple")
    assert r.status_code == 200, "Removing an item in the cart should succeed"
    assert client.get("/cart").get_json() == {"cart": {"pear": 1}, "count": 1}, (
        "The removed line is back on the next request: was the change saved?"
    )
    r = client.delete("/cart/items/kiwi")
    assert r.status_code == 404, "An item that is not in the cart cannot be removed"


@pytest.mark.points(5)
def test_clear_cart(client):
    """DELETE /cart empties the cart"""
    client.post("/cart/items", json={"sku": "apple", "qty": 2})
    r = client.delete("/cart")
    assert r.status_code == 204, "Emptying the cart has nothing to say: 204 No Content"
    assert client.get("/cart").get_json() == {"cart": {}, "count": 0}, "The cart should be empty"


@pytest.mark.points(10)
def test_cart_travels_in_the_signed_session(client, learner):
    """The cart travels in the signed session cookie, not in a plain cookie"""
    name = learner.eval("app.config['SESSION_COOKIE_NAME']")
    r = client.post("/cart/items", json={"sku": "apple", "qty": 2})
    cookies = r.headers.getlist("Set-Cookie")
    assert not any("apple" in cookie for cookie in cookies), (
        "A plain cookie can be edited by the visitor: keep the cart where Flask signs it"
    )
    session = [c.split(";")[0].split("=", 1)[1] for c in cookies if c.startswith(f"{name}=")]
    assert session and session[0].count(".") >= 2, "Store the cart in Flask's session"
