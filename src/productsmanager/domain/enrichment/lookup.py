"""How the answers of several barcode providers become one: the first good enough, or all of them merged.

Providers are asked in priority order. With `merge` off, the first hit whose provider's confidence reaches
`min_confidence` is the result (the others need not even be asked). With `merge` on, every hit at or above
`min_confidence` counts and each field takes the value of the most trusted provider that has one (ties go to
the provider asked first), so a trusted provider's empty brand does not hide a less trusted provider's.
"""

from __future__ import annotations

from collections.abc import Sequence

from attrs import evolve, frozen

from productsmanager.domain.enrichment.providers import EanProduct

TEXT_FIELDS = ("name", "brand", "category", "description", "asin")


@frozen
class LookupPolicy:
    min_confidence: float = 0.8
    merge: bool = False

    def counts(self, hit: EanProduct) -> bool:
        return hit.confidence >= self.min_confidence

    def is_final(self, hits: Sequence[EanProduct]) -> bool:
        """Whether no other provider needs asking: without merging, the first hit that counts ends the lookup."""
        return not self.merge and any(self.counts(hit) for hit in hits)

    def combine(self, hits: Sequence[EanProduct]) -> EanProduct | None:
        """The result of `hits` (in the order the providers were asked), or None when none counts."""
        counted = [hit for hit in hits if self.counts(hit)]
        if not counted:
            return None
        if not self.merge:
            return counted[0]
        ranked = sorted(enumerate(counted), key=lambda pair: (-pair[1].confidence, pair[0]))
        best = ranked[0][1]
        values = {name: next((getattr(h, name) for _, h in ranked if getattr(h, name)), None) for name in TEXT_FIELDS}
        images = tuple(dict.fromkeys(url for _, hit in ranked for url in hit.image_urls))
        return evolve(best, image_urls=images, **values)
