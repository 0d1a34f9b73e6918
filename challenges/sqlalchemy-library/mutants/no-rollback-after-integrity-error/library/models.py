"""The models: authors and their books."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    pass


db = SQLAlchemy(model_class=Base)


class Author(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(100), unique=True)
    books: Mapped[list[Book]] = relationship(
        back_populates="author", cascade="all, delete-orphan", order_by=lambda: (Book.year, Book.id)
    )

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "name": self.name,
            "books": [{"id": b.id, "title": b.title, "year": b.year} for b in self.books],
        }


class Book(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(200))
    year: Mapped[int]
    author_id: Mapped[int] = mapped_column(ForeignKey("author.id"))
    author: Mapped[Author] = relationship(back_populates="books")

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "year": self.year,
            "author": {"id": self.author.id, "name": self.author.name},
        }
