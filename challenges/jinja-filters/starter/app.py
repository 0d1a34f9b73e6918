"""Custom Jinja filters: write and register the four filters described in the statement."""

from flask import Flask, render_template, request

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


def create_app():
    app = Flask(__name__)

    # Placeholders so the pages render: replace them with the real filters.
    for name in ("money", "pluralize", "initials", "highlight"):
        app.add_template_filter(lambda value, *args: value, name)

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
