"""Hidden tests: the shop still works once split."""

from __future__ import annotations

import pytest

TOKEN = {"X-Admin-Token": "change-me"}


@pytest.mark.points(10)
def test_home_links_to_catalog(client):
    """The home page links to the catalog with url_for"""
    assert client.get("/").get_json() == {"catalog": "/catalog/"}, (
        "Build the link with the blueprint's endpoint"
    )


@pytest.mark.points(10)
def test_catalog_lists_products(client):
    """The catalog lists every product with its url"""
    r = client.get("/catalog/")
    assert r.status_code == 200, "The catalog lives at /catalog/"
    assert r.get_json() == [
        {"id": 1, "name": "Teapot", "price": 25.0, "url": "/catalog/1"},
        {"id": 2, "name": "Mug", "price": 8.5, "url": "/catalog/2"},
    ], "Each product needs a url built with url_for"


@pytest.mark.points(10)
def test_unknown_product(client):
    """An unknown product is a JSON 404 from the catalog's error handler"""
    r = client.get("/catalog/99")
    assert r.status_code == 404, "An unknown product is Not Found"
    assert r.mimetype == "application/json", "The catalog blueprint handles its own 404s in JSON"
    assert r.get_json() == {"error": "no product 99"}, "Say which product was not found"


@pytest.mark.points(15)
def test_admin_needs_token(client):
    """Admin routes refuse requests without the right token"""
    r = client.post("/admin/products", json={"name": "Spoon", "price": 3.5})
    assert r.status_code == 403, "Without the token, admin routes answer 403"
    assert r.get_json() == {"error": "forbidden"}, "Explain the refusal in JSON"
    wrong = client.post(
        "/admin/products", json={"name": "Spoon", "price": 3.5}, headers={"X-Admin-Token": "guess"}
    )
    assert wrong.status_code == 403, "A wrong token is refused too"
    assert len(client.get("/catalog/").get_json()) == 2, "A refused request must not add anything"


@pytest.mark.points(15)
def test_catalog_needs_no_token(client):
    """The admin guard does not apply to the catalog"""
    assert client.get("/catalog/1").status_code == 200, (
        "The catalog is public: is the admin hook limited to the admin blueprint?"
    )
    assert client.get("/").status_code == 200, "The home page is public too"


@pytest.mark.points(15)
def test_admin_adds_product(client):
    """An admin can add a product, which then appears in the catalog"""
    r = client.post("/admin/products", json={"name": "Spoon", "price": 3.5}, headers=TOKEN)
    assert r.status_code == 201, "Creating a product answers 201"
    assert r.get_json() == {"id": 3, "name": "Spoon", "price": 3.5, "url": "/catalog/3"}, (
        "Answer with the new product, its next free id and its url"
    )
    assert r.headers.get("Location", "").endswith("/catalog/3"), (
        "Point the Location header at the new product"
    )
    assert client.get("/catalog/3").get_json()["name"] == "Spoon", (
        "The catalog should show the new product"
    )


@pytest.mark.points(5)
@pytest.mark.parametrize(
    "body",
    [
        {"price": 3.5},
        {"name": " ", "price": 3},
        {"name": "Fork", "price": 0},
        {"name": "Fork", "price": "3"},
    ],
)
def test_admin_validates_products(client, body):
    """Bad products are refused with 400"""
    r = client.post("/admin/products", json=body, headers=TOKEN)
    assert r.status_code == 400, "Check name and price before storing"


@pytest.mark.learner_env(ADMIN_TOKEN="s3cret-from-env")
@pytest.mark.points(5)
def test_token_from_environment(client):
    """The admin token comes from the environment"""
    r = client.post(
        "/admin/products",
        json={"name": "Spoon", "price": 3.5},
        headers={"X-Admin-Token": "s3cret-from-env"},
    )
    assert r.status_code == 201, "Read ADMIN_TOKEN from the environment"
