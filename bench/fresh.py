"""The app a bench measures: on an emptied database (PostgreSQL's public schema dropped and made
again; a new SQLite file), migrated, with the shipped pairing files."""
from __future__ import annotations

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def fresh_app(url: str, folder: Path, **environ: str):
    from flask_migrate import upgrade
    from sqlalchemy import create_engine, text

    from exchange import create_app
    if url.startswith("postgresql"):
        engine = create_engine(url)
        with engine.begin() as c:
            c.execute(text("DROP SCHEMA public CASCADE"))
            c.execute(text("CREATE SCHEMA public"))
        engine.dispose()
    app = create_app({"EXCHANGE_DATABASE_URL": url, "EXCHANGE_SECRET_KEY": "bench", "EXCHANGE_INSTANCE_DIR": str(folder),
                      "EXCHANGE_PARTNER_CONFIG_DIR": str(ROOT / "partner_configs"), **environ}, testing=True)
    with app.app_context():
        upgrade()
    return app
