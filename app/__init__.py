"""Guichet: the online services of the Belgian social-security portal."""

import os

# Piccolo finds its engine and apps through this module (see app/db/piccolo_conf.py).
os.environ.setdefault("PICCOLO_CONF", "app.db.piccolo_conf")
