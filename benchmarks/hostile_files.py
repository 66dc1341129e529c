"""Hostile files: each one's work in a fresh child process on the embedded default (SQLite, filesystem store),
one line per file with the child's peak memory growth (VmHWM after the work minus its resident size before
it) against the cap, how the work ended, and PASS or FAIL. A file passes when its process did not crash,
its job ended as the corpus expects (with its reason) and the growth is within the cap.

One function per corpus, each yielding `Outcome`s; `CORPORA` lists them: supplier files (200 MB cap, imported
through `ImportRunner`) and images (400 MB cap, uploaded and made into thumbnails, `hostile_images.py`).
Files are generated at the issue's full sizes (a 420 MB line, 2 GiB of zeros
behind five rows), streamed to a temporary folder, never built in memory.

    .venv/bin/python benchmarks/hostile_files.py            # every corpus; --only NAME to pick files
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # the repository, for the tests' corpus

from benchmarks.hostile_images import CAP_BYTES as IMAGE_CAP_BYTES  # after the path above
from benchmarks.hostile_images import MB as IMAGE_MB
from benchmarks.hostile_images import measure as measure_image
from tests.hostile_images import cases as image_cases
from tests.hostile_supplier_files import CORPUS, import_in_child

SUPPLIER_FILE_CAP_MB = 200


@dataclass(frozen=True)
class Outcome:
    """One file's figures: `ended` is how its work finished ("crashed" when the process died)."""

    name: str
    size: int
    ended: str
    reason: str
    growth_mb: float
    cap_mb: int
    expected: bool
    seconds: float

    @property
    def passed(self) -> bool:
        return self.ended != "crashed" and self.expected and self.growth_mb <= self.cap_mb

    def line(self) -> str:
        verdict = "PASS" if self.passed else "FAIL"
        return (
            f"{self.name:28} {self.size:>15,} B  {self.growth_mb:7.1f} MB / {self.cap_mb} MB  {verdict}  "
            f"{self.seconds:5.1f} s  {self.ended}: {self.reason[:90]}"
        )


def supplier_files(folder: Path, only: str | None = None) -> Iterator[Outcome]:
    """Every supplier file of the corpus, imported through the real path (`ImportRunner`)."""
    for hostile in CORPUS:
        if only and only not in hostile.name:
            continue
        path = hostile.make(folder, full=True)
        started = time.perf_counter()
        child = import_in_child(path, hostile.name, hostile.profile)
        seconds = time.perf_counter() - started
        reason = child.reason or ", ".join(sorted(set(child.problems))) or "-"
        expected = child.status in hostile.expect and (
            hostile.reason in child.reason or hostile.reason in child.problems
        )
        yield Outcome(hostile.name, path.stat().st_size, child.status, reason, child.growth_kb / 1024,
                      SUPPLIER_FILE_CAP_MB, expected, seconds)  # fmt: skip
        path.unlink()  # the full-size files take gigabytes: one on disk at a time


def images(folder: Path, only: str | None = None) -> Iterator[Outcome]:
    """Every image of `tests/hostile_images.py`, uploaded and made into thumbnails in a fresh serving process
    (`benchmarks/hostile_images.py`); its figures are in decimal megabytes against the 400 MB cap."""
    for case in image_cases(None):
        if only and only not in case.name:
            continue
        started = time.perf_counter()
        measured = measure_image(case)
        seconds = time.perf_counter() - started
        crashed = measured.growth_bytes is None
        ended, _, reason = measured.outcome.partition(" ") if not crashed else ("crashed", "", measured.outcome)
        growth, cap = (measured.growth_bytes or 0) / IMAGE_MB, int(IMAGE_CAP_BYTES / IMAGE_MB)
        yield Outcome(case.name, measured.file_bytes, ended.rstrip(":"), reason or "-", growth, cap, measured.passed,
                      seconds)  # fmt: skip


CORPORA: list[tuple[str, Callable[[Path, str | None], Iterator[Outcome]]]] = [
    ("supplier files", supplier_files),
    ("images", images),
]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--only", help="only the files whose name contains this")
    args = parser.parse_args()
    failed = crashed = total = 0
    with tempfile.TemporaryDirectory(prefix="pm-hostile-files-") as folder:
        for title, corpus in CORPORA:
            print(f"== {title}", flush=True)
            for outcome in corpus(Path(folder), args.only):
                print(outcome.line(), flush=True)
                total += 1
                failed += not outcome.passed
                crashed += outcome.ended == "crashed"
    print(f"{total} files, {crashed} crashed processes, {failed} FAIL")
    raise SystemExit(1 if failed else 0)


if __name__ == "__main__":
    main()
