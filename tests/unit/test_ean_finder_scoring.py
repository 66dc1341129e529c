"""The EAN Finder's text similarity and candidate scores: the rules hold for any text."""

from __future__ import annotations

import uuid

import pytest
from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.enrichment.finder import (
    Candidate,
    FinderRow,
    FinderRowClosed,
    FinderStatus,
    RowData,
    best_candidates,
    candidate_score,
    normalised_name,
    text_similarity,
)
from productsmanager.domain.gtin import Gtin

texts = st.text(max_size=60)
confidences = st.floats(min_value=0.0, max_value=1.0)


@given(texts, texts)
def test_similarity_is_in_unit_interval_and_symmetric(left: str, right: str) -> None:
    score = text_similarity(left, right)
    assert 0.0 <= score <= 1.0
    assert score == text_similarity(right, left)


@given(texts)
def test_identical_text_scores_one(text: str) -> None:
    assert text_similarity(text, text) == 1.0


@given(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=6))
def test_word_order_and_case_do_not_matter(words: list[str]) -> None:
    assert text_similarity(" ".join(words), " ".join(reversed(words)).upper()) == 1.0


@given(texts, texts, confidences)
def test_score_is_similarity_times_confidence(left: str, right: str, confidence: float) -> None:
    score = candidate_score(left, right, confidence)
    assert 0.0 <= score <= confidence + 1e-4
    assert score == pytest.approx(text_similarity(left, right) * confidence, abs=1e-4)


def test_examples() -> None:
    assert text_similarity("Savon doux Acme", "SAVON DOUX acme") == 1.0
    assert text_similarity("Savon sans EAN", "Savon doux") == pytest.approx(1 / 4)
    assert text_similarity("Crème", "creme") == 1.0
    assert text_similarity("savon", "shampooing") == 0.0
    assert candidate_score("Savon doux", "Savon doux", 0.9) == 0.9
    with pytest.raises(ValueError):
        candidate_score("a", "a", 1.5)


@given(texts)
def test_normalised_name_ignores_order_and_spacing(text: str) -> None:
    assert normalised_name(text) == normalised_name("  ".join(reversed(text.split())))


def test_best_candidates_keep_one_per_gtin_best_first() -> None:
    gtin_a, gtin_b = Gtin.parse("4006381333931"), Gtin.parse("5901234123457")
    found = [
        Candidate(gtin_a, "Savon", None, "ean_search", 0.5),
        Candidate(gtin_b, "Savon doux", None, "ean_search", 0.8),
        Candidate(gtin_a, "Savon doux", None, "barcode_lookup", 0.7),
    ]
    kept = best_candidates(found, limit=10)
    assert [(c.gtin, c.score) for c in kept] == [(gtin_b, 0.8), (gtin_a, 0.7)]
    assert len(best_candidates(found, limit=1)) == 1


def test_closed_rows_refuse_a_second_decision() -> None:

    row = FinderRow(uuid.uuid4(), uuid.uuid4(), "ACME", FinderStatus.RESOLVED, RowData(name="Savon"))
    with pytest.raises(FinderRowClosed):
        row.require_open()
    FinderRow(uuid.uuid4(), uuid.uuid4(), "ACME", FinderStatus.CANDIDATES, RowData()).require_open()
    assert RowData(name="Savon", brand="Acme").search_text == "Savon Acme"
    assert (RowData(name="Savon", brand="Acme").query, RowData(brand="Acme").query) == ("Savon", "Acme")


@given(st.lists(st.from_regex(r"[a-z]{1,8}", fullmatch=True), min_size=1, max_size=6), st.text(max_size=20))
def test_a_line_is_known_by_its_sku_else_by_its_words(words: list[str], sku: str) -> None:
    named = RowData(name=" ".join(words))
    assert named.match_key == RowData(name=" ".join(reversed(words)).upper()).match_key is not None
    if sku:
        assert RowData(name="anything", sku=sku).match_key == RowData(name="else", sku=sku).match_key == f"sku:{sku}"
    row = FinderRow(uuid.uuid4(), uuid.uuid4(), "ACME", FinderStatus.WAITING, RowData(price=None))
    assert row.key == f"row:{row.id}"  # neither SKU nor name: a row of its own
