"""Copies the back office's front-end files from the npm packages (`npm ci` installed them from the lock file)
into the package's static folder, each with its licence. Run by scripts/bootstrap.sh; safe to run again."""

from __future__ import annotations

import shutil
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "src/productsmanager/entrypoints/web/static/vendor"
FILES = {  # npm package: (file to serve, licence file)
    "htmx.org": ("dist/htmx.min.js", "LICENSE"),
}


def main() -> int:
    TARGET.mkdir(parents=True, exist_ok=True)
    for package, (served, licence) in FILES.items():
        folder = ROOT / "node_modules" / package
        if not (folder / served).is_file():
            print(f"error: {package} is not installed under node_modules: run npm ci", file=sys.stderr)
            return 1
        shutil.copyfile(folder / served, TARGET / Path(served).name)
        stem = Path(served).name.split(".")[0]
        shutil.copyfile(folder / licence, TARGET / f"{stem}.LICENSE.txt")
    return 0


if __name__ == "__main__":
    sys.exit(main())
