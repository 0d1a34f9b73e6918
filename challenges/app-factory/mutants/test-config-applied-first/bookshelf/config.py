"""Default settings: safe for development, overridden by the instance folder and the environment."""


class Config:
    SECRET_KEY = "dev"
    SHELF_NAME = "My shelf"
    BOOKS_PER_PAGE = 10
