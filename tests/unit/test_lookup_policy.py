"""Combining providers' answers: the first good enough without merging, field by field by confidence with it;
whatever the hits, the result only holds values some counted hit gave."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from productsmanager.domain.enrichment.lookup import TEXT_FIELDS, LookupPolicy
from productsmanager.domain.enrichment.providers import EanProduct, ProviderName
from productsmanager.domain.gtin import Gtin

GTIN = Gtin.parse("4006381333931")
texts = st.one_of(st.none(), st.sampled_from(("Crème", "Pure", "Beauty", "Soin")))
hits = st.lists(
    st.builds(
        EanProduct,
        gtin=st.just(GTIN),
        provider=st.sampled_from(list(ProviderName)),
        confidence=st.sampled_from((0.5, 0.85, 0.9, 0.95)),
        name=texts,
        brand=texts,
        category=texts,
        image_urls=st.lists(st.sampled_from(("https://a/1.jpg", "https://b/2.jpg")), max_size=2),
    ),
    max_size=4,
)


def hit(provider: ProviderName, confidence: float, **values: object) -> EanProduct:
    return EanProduct(GTIN, provider, confidence, **values)  # type: ignore[arg-type]


def test_without_merging_the_first_hit_good_enough_wins() -> None:
    low = hit(ProviderName.GO_UPC, 0.5, name="Low")
    first = hit(ProviderName.BARCODE_LOOKUP, 0.9, name="First")
    later = hit(ProviderName.EAN_SEARCH, 0.95, name="Later")
    policy = LookupPolicy(min_confidence=0.8)
    assert policy.combine([low, first, later]) == first
    assert policy.is_final([low, first]) and not policy.is_final([low])


def test_merging_takes_each_field_from_the_most_trusted_provider_that_has_it() -> None:
    trusted = hit(ProviderName.EAN_SEARCH, 0.95, name="Crème hydratante", image_urls=["https://a/1.jpg"])
    other = hit(ProviderName.BARCODE_LOOKUP, 0.9, name="Moisturiser", brand="Pure", image_urls=["https://b/2.jpg"])
    merged = LookupPolicy(min_confidence=0.8, merge=True).combine([other, trusted])
    assert merged is not None
    assert (merged.name, merged.brand, merged.provider) == ("Crème hydratante", "Pure", ProviderName.EAN_SEARCH)
    assert merged.image_urls == ("https://a/1.jpg", "https://b/2.jpg")
    assert not LookupPolicy(merge=True).is_final([trusted])


@given(hits, st.booleans(), st.sampled_from((0.0, 0.8, 0.9, 1.0)))
def test_a_result_holds_only_what_a_counted_hit_said(found: list[EanProduct], merge: bool, floor: float) -> None:
    policy = LookupPolicy(min_confidence=floor, merge=merge)
    result = policy.combine(found)
    counted = [h for h in found if h.confidence >= floor]
    if not counted:
        assert result is None
        return
    assert result is not None
    if merge:
        assert result.confidence == max(h.confidence for h in counted)
    for name in TEXT_FIELDS:
        value = getattr(result, name)
        assert value is None or value in {getattr(h, name) for h in counted}
    assert set(result.image_urls) <= {url for h in counted for url in h.image_urls}
    if not merge:
        assert result == counted[0]
