"""Hidden tests: pages that share one base template."""

from __future__ import annotations

import re
from html.parser import HTMLParser

import pytest

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source", "wbr"}
PAGES = ["/", "/posts/why-flask", "/about"]
EXTENDS = re.compile(r"""\{%-?\s*extends\s+["']base\.html["']\s*-?%\}""")


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

    def inside(self, parent, tag):
        return [e for e in self.elements if e["tag"] == tag and parent in e["parents"]]


def text(element) -> str:
    return " ".join(element["text"].split()) if element else ""


def page(client, path: str) -> Page:
    r = client.get(path)
    assert r.status_code == 200, f"{path} should answer 200"
    return Page(r.text)


@pytest.mark.points(12)
def test_pages_extend_the_base(learner):
    """Every page template extends base.html and holds only blocks"""
    source = "app.jinja_env.loader.get_source(app.jinja_env, {!r})[0]"
    templates = learner.eval("sorted(app.jinja_env.list_templates())")
    assert "base.html" in templates, "Write the shared layout in templates/base.html"
    for name in ("index.html", "post.html", "about.html"):
        assert name in templates, f"Write templates/{name}"
        text_of = learner.eval(source.format(name))
        assert EXTENDS.search(text_of), f"{name} should extend base.html instead of repeating it"
        assert "<html" not in text_of.lower() and "<footer" not in text_of.lower(), (
            f"{name} should leave the skeleton (html, footer) to the base template"
        )


@pytest.mark.points(12)
def test_shared_navigation_and_footer(client):
    """Every page has the navigation and the footer once"""
    for path in PAGES:
        p = page(client, path)
        navs = p.find("nav", id="site-nav")
        assert len(navs) == 1, "Each page needs exactly one nav#site-nav"
        links = [(a["attrs"].get("href"), text(a)) for a in p.inside(navs[0], "a")]
        assert links == [("/", "Home"), ("/about", "About")], "The navigation links Home and About"
        footers = p.find("footer", id="site-footer")
        assert len(footers) == 1 and text(footers[0]) == "© 2026 Flask Blog", (
            "Check the shared footer"
        )
        assert len(p.find("main")) == 1, "The page content sits in one <main>"


@pytest.mark.points(12)
def test_titles(client):
    """Each page's title ends with the site name"""
    for path, title in [
        ("/", "Home"),
        ("/posts/templates", "Templates & layouts"),
        ("/about", "About"),
    ]:
        titles = [text(t) for t in page(client, path).find("title")]
        assert titles == [f"{title} · Flask Blog"], (
            "The title is the page's own title, then · Flask Blog"
        )


@pytest.mark.points(12)
def test_index_lists_posts(client):
    """The home page lists every post with a link and a byline"""
    p = page(client, "/")
    assert [text(h) for h in p.find("h1")] == ["Latest posts"], "The home page's heading"
    summaries = p.find("article", class_="post-summary")
    found = [(a["attrs"].get("href"), text(a)) for s in summaries for a in p.inside(s, "a")]
    assert found == [
        ("/posts/hello-world", "Hello, world"),
        ("/posts/why-flask", "Why Flask?"),
        ("/posts/templates", "Templates & layouts"),
    ], "One summary per post, with its link"
    bylines = [
        text(b) for s in summaries for b in p.inside(s, "p") if b["attrs"].get("class") == "byline"
    ]
    assert bylines == ["by Ann", "by Bob", "by Ann"], "Each summary has a byline"


@pytest.mark.points(12)
def test_post_page(client):
    """A post page shows the post"""
    p = page(client, "/posts/why-flask")
    articles = p.find("article", id="post")
    assert len(articles) == 1, "The post sits in article#post"
    assert [text(h) for h in p.inside(articles[0], "h1")] == ["Why Flask?"], (
        "The post's title is its h1"
    )
    assert [text(d) for d in p.inside(articles[0], "div") if d["attrs"].get("class") == "body"] == [
        "Flask keeps the core small and lets you choose the rest."
    ], "The text sits in div.body"
    assert (
        text(p.find("p", class_="byline")[0] if p.find("p", class_="byline") else None) == "by Bob"
    ), "The post has a byline"


@pytest.mark.points(5)
def test_unknown_post(client):
    """Unknown posts are Not Found"""
    assert client.get("/posts/nothing-here").status_code == 404, "There is no such post"


@pytest.mark.points(12)
def test_post_head_extends_the_base_head(client):
    """The post page adds an author meta tag to the base's head"""
    p = page(client, "/posts/hello-world")
    metas = {m["attrs"].get("name"): m["attrs"].get("content") for m in p.find("meta")}
    assert metas.get("author") == "Ann", 'The post page adds <meta name="author"> to the head'
    assert metas.get("generator") == "Flask", (
        "The base's head content disappeared: a block can keep its parent's content"
    )
    other = {m["attrs"].get("name") for m in page(client, "/about").find("meta")}
    assert "generator" in other and "author" not in other, "Only post pages have an author meta tag"


@pytest.mark.points(11)
def test_about_page(client):
    """The about page has its heading and text"""
    p = page(client, "/about")
    main = p.find("main")
    assert main, "The page content sits in <main>"
    headings = [text(h) for h in p.inside(main[0], "h1")]
    assert headings, "The about page's content did not reach the page: a child only fills blocks"
    assert headings == ["About"], "The about page's h1 is About"
    assert "This blog is written with Flask." in [text(x) for x in p.inside(main[0], "p")], (
        "Check the about page's text"
    )
