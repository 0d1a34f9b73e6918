"""The catalogue in the main database, page views in the analytics one."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Product(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80))
    price_cents: Mapped[int]

    def to_json(self) -> dict:
        return {"id": self.id, "name": self.name, "price_cents": self.price_cents}


class PageView(db.Model):
    __bind_key__ = "analytics"
    id: Mapped[int] = mapped_column(primary_key=True)
    # no foreign key: the product table is in another database
    product_id: Mapped[int]
