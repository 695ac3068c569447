"""Piccolo's configuration module (PICCOLO_CONF points here): the engine and the one app."""

from piccolo.conf.apps import AppRegistry

from app.config import get_settings
from app.db.engines import make_engine

DB = make_engine(get_settings().database_url)

# The one app, whose tables are the installed services' (app/installed.py).
APP_REGISTRY = AppRegistry(apps=["app.installed"])
