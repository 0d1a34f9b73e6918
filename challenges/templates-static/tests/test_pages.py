"""Hidden tests: pages rendered from templates, with their static files."""

from __future__ import annotations

from html.parser import HTMLParser

import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}


class Page(HTMLParser):
    """Every element of a page with its attributes and its text (unescaped)."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[dict] = []
        self.open: list[dict] = []
        self.feed(html)
        self.close()

    def handle_starttag(self, tag, attrs):
        element = {"tag": tag, "attrs": dict(attrs), "text": "", "parents": list(self.open)}
        self.elements.append(element)
        if tag not in VOID:
            self.open.append(element)

    def handle_endtag(self, tag):
        for i in range(len(self.open) - 1, -1, -1):
            if self.open[i]["tag"] == tag:
                del self.open[i:]
                break

    def handle_data(self, data):
        for element in self.open:
            element["text"] += data

    def find(self, tag=None, **attrs):
        return [
            e
            for e in self.elements
            if (tag is None or e["tag"] == tag)
            and all(e["attrs"].get(k.rstrip("_")) == v for k, v in attrs.items())
        ]

    def by_id(self, element_id):
        found = self.find(id=element_id)
        return found[0] if found else None

    def inside(self, parent, tag):
        return [e for e in self.elements if e["tag"] == tag and parent in e["parents"]]


def text(element) -> str:
    return " ".join(element["text"].split()) if element else ""


def listed(page: Page) -> list[str]:
    return [text(a) for li in page.find("li", class_="recipe") for a in page.inside(li, "a")]


@pytest.mark.points(8)
def test_pages_come_from_templates(learner):
    """Both pages are Jinja templates in the templates folder"""
    templates = learner.eval("sorted(app.jinja_env.list_templates())")
    for name in ("index.html", "recipe.html"):
        assert name in templates, f"Create templates/{name} and render it with render_template"


@pytest.mark.points(10)
def test_recipe_list(client):
    """The home page lists every recipe with a link and its time"""
    r = client.get("/")
    assert r.status_code == 200, "The home page should answer 200"
    page = Page(r.text)
    assert listed(page) == ["Pancakes", "Mac & Cheese", "Green salad", "Pan bagnat"], (
        "One li.recipe per recipe, in order, each with a link holding the title"
    )
    minutes = [text(s) for s in page.find("span", class_="minutes")]
    assert minutes == ["20 min", "35 min", "10 min", "15 min"], "Show each recipe's time"
    assert page.by_id("empty") is None and page.by_id("query") is None, (
        "Without a search there is no 'Results for' line and no 'No recipe matches'"
    )


@pytest.mark.points(10)
def test_links_lead_to_recipes(client):
    """Each recipe link opens its page"""
    page = Page(client.get("/").text)
    links = [
        a["attrs"].get("href", "")
        for li in page.find("li", class_="recipe")
        for a in page.inside(li, "a")
    ]
    assert links[1:2] == ["/recipes/mac-and-cheese"], "Link each recipe to /recipes/<slug>"
    r = client.get(links[1])
    assert r.status_code == 200, "The recipe page should answer 200"
    recipe = Page(r.text)
    assert text(recipe.by_id("title")) == "Mac & Cheese", "The page's h1#title is the recipe title"
    assert text(recipe.by_id("minutes")) == "Ready in 35 minutes", "Check the p#minutes text"
    ingredients = recipe.by_id("ingredients")
    assert ingredients and [text(li) for li in recipe.inside(ingredients, "li")] == [
        "macaroni",
        "cheddar",
        "milk",
    ], "One li per ingredient in ul#ingredients"
    assert client.get("/recipes/lasagna").status_code == 404, "Unknown recipes are Not Found"


@pytest.mark.points(10)
def test_escaped_output(client):
    """Titles and searches are escaped"""
    raw = client.get("/recipes/mac-and-cheese").text
    assert "Mac &amp; Cheese" in raw or "Mac &#38; Cheese" in raw, (
        "An & in a title must reach the browser as an entity"
    )
    r = client.get("/", query_string={"q": "<script>alert(1)</script>"})
    assert "<script>alert(1)" not in r.text, "What a visitor typed must never become markup"
    assert text(Page(r.text).by_id("query")) == "Results for: <script>alert(1)</script>", (
        "Show the search text, escaped"
    )


@pytest.mark.points(12)
def test_search(client):
    """The list can be searched by title"""
    for query, expected in [("pan", ["Pancakes", "Pan bagnat"]), ("CHEESE", ["Mac & Cheese"])]:
        page = Page(client.get("/", query_string={"q": query}).text)
        assert listed(page) == expected, "Keep the recipes whose title holds q, ignoring case"
        assert text(page.by_id("query")) == f"Results for: {query}", "Repeat the search text"


@pytest.mark.points(10)
def test_time_limit(client):
    """The list can be limited by time"""
    for query, expected in [
        ({"max_minutes": "15"}, ["Green salad", "Pan bagnat"]),
        ({"q": "pan", "max_minutes": "18"}, ["Pan bagnat"]),
        ({"max_minutes": "soon"}, ["Pancakes", "Mac & Cheese", "Green salad", "Pan bagnat"]),
    ]:
        page = Page(client.get("/", query_string=query).text)
        assert listed(page) == expected, (
            "Keep recipes that take at most max_minutes; ignore a max_minutes that is not a number"
        )


@pytest.mark.points(10)
def test_nothing_found(client):
    """An empty result says so"""
    page = Page(client.get("/", query_string={"q": "sushi"}).text)
    assert page.find("li", class_="recipe") == [], "No recipe matches sushi"
    assert text(page.by_id("empty")) == "No recipe matches.", (
        "Tell the visitor that nothing matched (a for loop has an else branch)"
    )
