"""Drive's side of the rules: glob patterns on file names (Drive's query language has none) and breadcrumbs."""

from __future__ import annotations

import fnmatch
import re
from collections.abc import Sequence

from attrs import frozen

from productsmanager.domain.errors import InvalidValue

MAX_PATTERN_LENGTH = 200
FOLDER_MIME_TYPE = "application/vnd.google-apps.folder"
SHEET_MIME_TYPE = "application/vnd.google-apps.spreadsheet"
XLSX_MIME_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class InvalidNamePattern(InvalidValue):
    code = "invalid_pattern"


@frozen
class NamePattern:
    """A shell glob (`*.csv`, `*catalog*.xlsx`, `price_??.csv`, `[ab]*`) matched against a whole file name,
    ignoring case: suppliers write `Catalog.CSV` as often as `catalog.csv`."""

    text: str
    _regex: re.Pattern[str]

    @classmethod
    def parse(cls, text: str | None) -> NamePattern:
        text = text if text and text.strip() else "*"
        if len(text) > MAX_PATTERN_LENGTH or any(ord(c) < 32 for c in text):
            raise InvalidNamePattern(
                f"a pattern has at most {MAX_PATTERN_LENGTH} printable characters", field="pattern"
            )
        return cls(text, re.compile(fnmatch.translate(text.casefold()), re.DOTALL))

    def matches(self, name: str) -> bool:
        return self._regex.match(name.casefold()) is not None


@frozen
class Crumb:
    id: str
    name: str


def breadcrumbs(chain: Sequence[Crumb], root: Crumb) -> list[Crumb]:
    """The path from the root ("My Drive") to a folder, given the folder and its ancestors nearest first
    (as parent links are followed); the root appears once, first."""
    path = [crumb for crumb in reversed(chain) if crumb.id != root.id]
    return [root, *path]
