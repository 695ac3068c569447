"""`python -m bench`: see bench/__init__.py for the method, `--help` for the options."""

import sys
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
if str(REPO_ROOT) not in sys.path:
    sys.path.insert(0, str(REPO_ROOT))  # `app`, `bench` and `tests.support` from the repo root

from bench.cli import main  # noqa: E402

sys.exit(main())
