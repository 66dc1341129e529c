"""REST API: `create_app(container)` builds the WSGI application."""
