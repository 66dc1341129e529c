"""Which of the files a supplier drops (on FTP, in an e-mail, in a shared folder) are its catalog: a glob
that people type, matched the way people expect, whatever system named the file."""

from __future__ import annotations

from fnmatch import fnmatchcase

from attrs import field, frozen

from productsmanager.domain.errors import InvalidValue

MAX_PATTERN_LENGTH = 200


def _normalised(text: str) -> str:
    """Case folded, surrounding spaces and a leading `./` dropped, Windows separators made `/`: `CATALOG.CSV`,
    ` ./catalog.csv ` and `.\\catalog.csv` are the same file name to a supplier."""
    text = text.strip().replace("\\", "/")
    while text.startswith("./"):
        text = text[2:].lstrip("/")
    return text.casefold()


@frozen
class FilePattern:
    """`value` is the pattern as typed (trimmed). fnmatch semantics (`*`, `?`, `[...]`) on the base name of a
    file, or on its whole path when the pattern itself has a `/`."""

    value: str
    _glob: str = field(init=False, eq=False, repr=False)
    _whole_path: bool = field(init=False, eq=False, repr=False)

    @_glob.default
    def _glob_default(self) -> str:
        return _normalised(self.value)

    @_whole_path.default
    def _whole_path_default(self) -> bool:
        return "/" in self._glob

    @classmethod
    def parse(cls, raw: object, field: str = "file_pattern") -> FilePattern:
        """Raises `InvalidValue` naming `field` (each source calls its pattern what its API calls it)."""
        if not isinstance(raw, str) or not raw.strip():
            raise InvalidValue(f"{field} must be a non-empty glob such as '*catalog*.csv'", field=field)
        text = raw.strip()
        if len(text) > MAX_PATTERN_LENGTH:
            raise InvalidValue(f"{field} must be at most {MAX_PATTERN_LENGTH} characters", field=field)
        if any(not c.isprintable() for c in text):
            raise InvalidValue(f"{field} must not contain control characters", field=field)
        if ".." in _normalised(text).split("/"):
            raise InvalidValue(f"{field} must not contain '..': it names files, not folders above", field=field)
        return cls(text)

    def matches(self, name: str) -> bool:
        name = _normalised(name)
        if not self._whole_path:
            name = name.rpartition("/")[2]
        return fnmatchcase(name, self._glob)

    def __str__(self) -> str:
        return self.value
