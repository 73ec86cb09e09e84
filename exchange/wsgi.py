"""The WSGI entry point for production: gunicorn 'exchange.wsgi:app'."""
from exchange import create_app

app = create_app()
