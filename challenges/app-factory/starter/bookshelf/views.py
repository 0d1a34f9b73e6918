"""The shelf's pages: move the routes here and register them from create_app()."""
