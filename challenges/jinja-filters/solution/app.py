"""Custom Jinja filters for prices, plurals, initials and safe highlighting."""

import re

from flask import Flask, render_template, request
from markupsafe import Markup, escape

ORDER = {
    "customer": "ada king lovelace",
    "lines": [
        {"name": "Notebook", "qty": 3, "price": 4.5, "unit": "notebook", "units": None},
        {"name": "Fountain pen", "qty": 1, "price": 1250, "unit": "pen", "units": None},
        {"name": "Ink", "qty": 2, "price": 7.25, "unit": "box", "units": "boxes"},
    ],
}
USD_PER_EUR = 1.08

PRODUCTS = [
    "Fountain pen",
    "Pencil case",
    "Notebook",
    "Ink <b>blue</b>",
    "Fish & Chips mug",
    "PENcil sharpener",
]


def money(value, symbol="€"):
    sign = "-" if value < 0 else ""
    return f"{sign}{symbol}{abs(value):,.2f}"


def pluralize(count, singular, plural=None):
    word = singular if count == 1 else (plural or singular + "s")
    return f"{count} {word}"


def initials(name):
    return "".join(word[0].upper() for word in name.split())


def highlight(text, term):
    if not term:
        return escape(text)
    pieces = []
    last = 0
    for match in re.finditer(re.escape(term), text, flags=re.IGNORECASE):
        pieces.append(escape(text[last : match.start()]))
        pieces.append(Markup("<mark>%s</mark>") % match.group())
        last = match.end()
    pieces.append(escape(text[last:]))
    return Markup("").join(pieces)


def create_app():
    app = Flask(__name__)
    app.add_template_filter(money, "money")
    app.add_template_filter(pluralize, "pluralize")
    app.add_template_filter(initials, "initials")
    app.add_template_filter(highlight, "highlight")

    @app.get("/invoice")
    def invoice():
        total = sum(line["qty"] * line["price"] for line in ORDER["lines"])
        return render_template(
            "invoice.html", order=ORDER, total=total, total_usd=total * USD_PER_EUR
        )

    @app.get("/search")
    def search():
        query = request.args.get("q", "")
        results = [name for name in PRODUCTS if query.lower() in name.lower()]
        return render_template("search.html", query=query, results=results)

    return app
