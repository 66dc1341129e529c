"""The Redis the login-throttling tests write to: the server of PM_TEST_REDIS_URL, database 11, so that their
keys (under a prefix of their own as well) never meet those of the tests that share the server."""

from __future__ import annotations

import os
from urllib.parse import urlsplit, urlunsplit

THROTTLING_DB = 11
_SERVER = urlsplit(os.environ.get("PM_TEST_REDIS_URL", "redis://127.0.0.1:6379/0"))
REDIS_URL = urlunsplit(_SERVER._replace(path=f"/{THROTTLING_DB}"))
