"""The models as they are now: recipes gained servings, unique titles and ingredients."""

from __future__ import annotations

from flask_sqlalchemy import SQLAlchemy
from sqlalchemy import ForeignKey, MetaData, String
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column, relationship


class Base(DeclarativeBase):
    # named constraints, so a migration can refer to them (and drop them) by name
    metadata = MetaData(
        naming_convention={
            "ix": "ix_%(column_0_label)s",
            "uq": "uq_%(table_name)s_%(column_0_name)s",
            "ck": "ck_%(table_name)s_%(constraint_name)s",
            "fk": "fk_%(table_name)s_%(column_0_name)s_%(referred_table_name)s",
            "pk": "pk_%(table_name)s",
        }
    )


db = SQLAlchemy(model_class=Base)


class Recipe(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    title: Mapped[str] = mapped_column(String(120), unique=True)
    servings: Mapped[int] = mapped_column(default=2)
    ingredients: Mapped[list[Ingredient]] = relationship(
        back_populates="recipe", cascade="all, delete-orphan", order_by="Ingredient.id"
    )

    def to_json(self) -> dict:
        return {
            "id": self.id,
            "title": self.title,
            "servings": self.servings,
            "ingredients": [{"name": i.name, "quantity": i.quantity} for i in self.ingredients],
        }


class Ingredient(db.Model):
    id: Mapped[int] = mapped_column(primary_key=True)
    recipe_id: Mapped[int] = mapped_column(ForeignKey("recipe.id"))
    name: Mapped[str] = mapped_column(String(80))
    quantity: Mapped[str] = mapped_column(String(40))
    recipe: Mapped[Recipe] = relationship(back_populates="ingredients")
