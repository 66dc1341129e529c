"""The filesystem media store as the health report checks it: its directory takes a new file."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


class FilesystemStoreCheck:
    name = "media_store"
    backend = "filesystem"

    def __init__(self, root: Path) -> None:
        self._root = Path(os.path.abspath(root))

    def check(self) -> None:
        """Creates and removes a small file: a full disk, a read-only mount or a missing volume fails it,
        which asking for permissions alone would not show."""
        self._root.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile(dir=self._root, prefix=".health-") as handle:
            handle.write(b"ok")
            handle.flush()
