"""File patterns: which dropped files are a supplier's catalog, whatever system named them."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.errors import InvalidValue
from productsmanager.domain.imports.file_pattern import MAX_PATTERN_LENGTH, FilePattern

# File names as systems write them; case folding of this alphabet is stable under upper() and lower().
name_chars = st.sampled_from("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-. éÉàÀçÇüÜ")
names = st.text(name_chars, min_size=1, max_size=30).map(str.strip).filter(lambda n: n and not n.startswith("."))
globs = st.text(st.sampled_from("abcxyzABC019_-.*?"), min_size=1, max_size=12).filter(lambda g: g != "..")


@pytest.mark.parametrize(
    ("pattern", "name", "matches"),
    [
        ("*catalog*.csv", "CATALOG_2025.CSV", True),
        ("*catalog*.csv", "acme-catalog.csv", True),
        ("*catalog*.csv", "catalog.csv.gz", False),
        ("*catalog*.csv", "export/Catalog.csv", True),
        ("*catalog*.csv", "C:\\Exports\\Catalog.csv", True),
        ("*catalog*.csv", "  ./catalog.csv  ", True),
        ("catalog-??.xlsx", "Catalog-07.XLSX", True),
        ("catalog-??.xlsx", "catalog-7.xlsx", False),
        ("prices_[0-9]*.csv", "PRICES_2025.csv", True),
        ("prices_[0-9]*.csv", "prices_new.csv", False),
        ("export/*.csv", "export/a.csv", True),
        ("export/*.csv", "./Export\\a.csv", True),
        ("export/*.csv", "a.csv", False),
        ("export/*.csv", "other/a.csv", False),
        ("./*.csv", "a.csv", True),
        ("Tarif Été.csv", "TARIF ÉTÉ.CSV", True),
        ("Straße*.csv", "STRASSE-1.csv", True),
    ],
)
def test_matching(pattern: str, name: str, matches: bool) -> None:
    assert FilePattern.parse(pattern).matches(name) is matches


def test_parse_keeps_the_pattern_as_typed() -> None:
    pattern = FilePattern.parse("  *Catalog*.CSV ")
    assert pattern.value == "*Catalog*.CSV" and str(pattern) == "*Catalog*.CSV"
    assert pattern == FilePattern.parse("*Catalog*.CSV")
    assert hash(pattern) == hash(FilePattern.parse("*Catalog*.CSV"))


@pytest.mark.parametrize(
    "raw",
    [
        "",
        "   ",
        None,
        12,
        "x" * (MAX_PATTERN_LENGTH + 1),
        "../*.csv",
        "in/../../*.csv",
        "..\\*.csv",
        "a\x00.csv",
        "a\nb.csv",
    ],
)
def test_bad_patterns_are_refused(raw: object) -> None:
    with pytest.raises(InvalidValue) as refused:
        FilePattern.parse(raw)
    assert refused.value.field == "file_pattern"


def test_the_longest_pattern_is_accepted() -> None:
    assert FilePattern.parse("*" * MAX_PATTERN_LENGTH).matches("anything.csv")


@given(names)
def test_any_name_matches_star(name: str) -> None:
    assert FilePattern.parse("*").matches(name)


@given(names)
def test_a_name_matches_itself_in_any_case(name: str) -> None:
    pattern = FilePattern.parse(name.replace("[", "?"))
    assert pattern.matches(name.upper()) and pattern.matches(name.lower())


@given(globs, names)
def test_case_never_changes_the_result(glob: str, name: str) -> None:
    pattern = FilePattern.parse(glob)
    assert pattern.matches(name) == pattern.matches(name.upper()) == pattern.matches(name.lower())
    assert pattern.matches(name) == FilePattern.parse(glob.upper()).matches(name)


@given(globs, names, st.sampled_from(["./", " ./", "  ", "\t", ".\\", "././", ""]), st.sampled_from(["", " ", "\t "]))
def test_a_leading_dot_slash_and_surrounding_spaces_never_change_the_result(
    glob: str, name: str, before: str, after: str
) -> None:
    pattern = FilePattern.parse(glob)
    assert pattern.matches(f"{before}{name}{after}") == pattern.matches(name)
    assert FilePattern.parse(f"{before}{glob}{after}").matches(name) == pattern.matches(name)


@given(globs, st.lists(names, min_size=1, max_size=3), names)
def test_folders_do_not_matter_without_a_slash_in_the_pattern(glob: str, folders: list[str], name: str) -> None:
    pattern = FilePattern.parse(glob)
    assert pattern.matches("/".join([*folders, name])) == pattern.matches(name)
    assert pattern.matches("\\".join([*folders, name])) == pattern.matches(name)
