"""The EAN lookup pages: paths, roles (viewers read, editors start jobs and decide Finder rows, administrators
change and test providers, as in the REST API) and the use cases each page gets from the container."""

from __future__ import annotations

from typing import TYPE_CHECKING

from productsmanager.domain.users import Role
from productsmanager.entrypoints.web.declarations import WebPage
from productsmanager.entrypoints.web.enrichment.finder import FinderRowAction, FinderSearchForm
from productsmanager.entrypoints.web.enrichment.jobs import LookupJobApplyForm, LookupJobPage, LookupJobsForm
from productsmanager.entrypoints.web.enrichment.lookup import EanLookupPage, EanLookupParts
from productsmanager.entrypoints.web.enrichment.providers import EanProviderForm, EanProviderTest

if TYPE_CHECKING:
    from productsmanager.container import Container


def parts(c: Container) -> EanLookupParts:
    return EanLookupParts(c.ean_lookup_stats, c.clock, c.ean_provider_settings, c.lookup_jobs, c.ean_finder_rows)


EDIT = {"POST": Role.EDITOR}
ADMIN = {"POST": Role.ADMIN}

PAGES: tuple[WebPage, ...] = (
    WebPage(path="/ean-lookup", factory=lambda c, r: EanLookupPage(parts(c), r)),
    WebPage(path="/ean-lookup/providers/{provider}", factory=lambda c, r: EanProviderForm(parts(c), r), roles=ADMIN),
    WebPage(
        path="/ean-lookup/providers/{provider}/test", factory=lambda c, r: EanProviderTest(parts(c), r), roles=ADMIN
    ),
    WebPage(path="/ean-lookup/jobs", factory=lambda c, r: LookupJobsForm(parts(c), r), roles=EDIT),
    WebPage(path="/ean-lookup/jobs/{job_id}", factory=lambda c, r: LookupJobPage(parts(c), r)),
    WebPage(
        path="/ean-lookup/jobs/{job_id}/apply",
        factory=lambda c, r: LookupJobApplyForm(c.lookup_job_apply, LookupJobPage(parts(c), r)),
        roles=EDIT,
    ),
    WebPage(
        path="/ean-lookup/finder", factory=lambda c, r: FinderSearchForm(parts(c), c.ean_finder_search, r), roles=EDIT
    ),
    WebPage(
        path="/ean-lookup/finder/{row_id}/resolve",
        factory=lambda c, r: FinderRowAction(parts(c), r, "resolve"),
        roles=EDIT,
    ),
    WebPage(
        path="/ean-lookup/finder/{row_id}/dismiss",
        factory=lambda c, r: FinderRowAction(parts(c), r, "dismiss"),
        roles=EDIT,
    ),
)
