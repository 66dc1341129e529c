"""The enrichment pages of the back office on both databases: EAN lookup (the five figures of the REST stats,
refreshed in place; the providers' forms saved and refused, the test against the fake providers; lookup jobs
started and followed; the EAN Finder queue) and Code2ASIN (jobs started from EANs and from a results file,
the details' tiles and tabs, the results CSV and the EAN export), seeded through the use cases; a viewer sees
no control and is refused every change."""

from __future__ import annotations

import re
import uuid
from typing import Any

import pytest

from productsmanager.domain.enrichment.providers import ProviderName
from tests.integration.code2asin_world import code2asin_world
from tests.integration.fake_ean_providers import KEYS
from tests.integration.helpers import Backend, Users
from tests.integration.lookup_world import THRILLER, UNKNOWN, WALKMAN, lookup_world
from tests.integration.web_session import WebSession, signed_in

pytestmark = pytest.mark.integration

PEN, MUG, CUP, BOX = "4006381333931", "96385074", "5901234123457", "5099750442227"
AMAZON_IMAGE = "https://m.media-amazon.com/images/I/pen.jpg"


def _tiles(html: str) -> list[str]:
    return re.findall(r'<span class="value">([^<]*)</span> <span class="label">([^<]*)</span>', html)  # type: ignore[return-value]


def _drain(backend: Backend) -> None:
    assert backend.container.task_queue().drain(timeout=60)


def test_the_lookup_page_shows_the_stats_five_figures_and_refreshes_them(backend: Backend, users: Users) -> None:
    session = signed_in(backend, "vi@example.com", "viewer")
    with lookup_world(backend, ProviderName.EAN_SEARCH):
        lookup = backend.container.ean_lookup()
        for ean in (THRILLER, WALKMAN, UNKNOWN, THRILLER):
            lookup.lookup(ean)
    stats = backend.client.simulate_get("/api/v1/ean-lookup/stats", headers=users.viewer).json
    page = session.get("/ean-lookup")
    assert page.status_code == 200, page.text
    rate = f"{stats['cache_hit_rate'] * 100:.0f} %"
    expected = [
        (str(stats["lookups"]), "Lookups"),
        (str(stats["found"]), "Found"),
        (str(stats["not_found"]), "Not found"),
        (str(stats["errors"]), "Errors"),
        (rate, "Cache hit rate"),
    ]
    assert _tiles(page.text) == expected
    assert stats["lookups"] == 4
    refreshed = session.get("/ean-lookup", htmx=True)
    assert refreshed.status_code == 200
    assert refreshed.text.lstrip().startswith('<section id="lookup-tiles"') and "<html" not in refreshed.text
    assert _tiles(refreshed.text) == expected
    assert 'hx-get="/ean-lookup"' in page.text and ">Refresh</button>" in page.text


def test_an_admin_saves_a_provider_sees_its_errors_and_tests_it(backend: Backend) -> None:
    admin = signed_in(backend, "ad@example.com", "admin")
    settings = backend.container.ean_provider_settings
    tab = admin.get("/ean-lookup?tab=providers")
    assert tab.status_code == 200 and 'hx-post="/ean-lookup/providers/go_upc"' in tab.text
    assert "Test Go-UPC</button>" in tab.text

    bad = admin.post("/ean-lookup/providers/go_upc", admin.form(priority="0", confidence="x", base_url="ftp://a",
                     timeout_seconds="10", requests_per_minute="60"), htmx=True)  # fmt: skip
    assert bad.status_code == 422, bad.text
    assert "priority must be a whole number from 1 to 100" in bad.text
    assert "confidence must be a number from 0 to 1" in bad.text and 'aria-invalid="true"' in bad.text
    assert settings().get("go_upc").updated_at is None  # nothing stored

    with lookup_world(backend, ProviderName.EAN_SEARCH) as fake:
        url = fake.base_url(ProviderName.GO_UPC)
        fields = {"enabled": "on", "priority": "3", "confidence": "0.8", "timeout_seconds": "2",
                  "requests_per_minute": "600", "base_url": url, "api_key": KEYS[ProviderName.GO_UPC]}  # fmt: skip
        saved = admin.post("/ean-lookup/providers/go_upc", admin.form(**fields), htmx=True)
        assert saved.status_code == 200, saved.text
        assert "Go-UPC saved." in saved.text and KEYS[ProviderName.GO_UPC] not in saved.text
        stored = settings().get("go_upc").config
        assert (stored.enabled, stored.priority, stored.confidence, stored.has_key) == (True, 3, 0.8, True)
        tested = admin.post("/ean-lookup/providers/go_upc/test", htmx=True)
        assert tested.status_code == 200 and "OK</span> answered in" in tested.text, tested.text
        assert 'role="status"' in tested.text

    kept = admin.post("/ean-lookup/providers/go_upc", admin.form(**{**fields, "api_key": ""}))
    assert kept.status_code == 303 and settings().get("go_upc").config.has_key  # a blank key keeps the stored one
    removed = admin.post("/ean-lookup/providers/go_upc", admin.form(**{**fields, "api_key": "", "remove_key": "on"}))
    assert removed.status_code == 303 and not settings().get("go_upc").config.has_key
    no_key = admin.post("/ean-lookup/providers/go_upc/test", htmx=True)
    assert "bad key</span>" in no_key.text
    assert admin.post("/ean-lookup/providers/nope", admin.form(priority="1")).status_code == 404


def test_a_lookup_job_is_started_and_followed_live(backend: Backend) -> None:
    editor = signed_in(backend, "ed@example.com", "editor")
    jobs = backend.container.lookup_jobs
    refused = editor.post("/ean-lookup/jobs", editor.form(eans="123 5099750442227"), htmx=True)
    assert refused.status_code == 422 and "<html" not in refused.text
    assert 'id="e-eans"' in refused.text and jobs().page(10).items == []

    with lookup_world(backend, ProviderName.EAN_SEARCH):
        started = editor.post("/ean-lookup/jobs", editor.form(eans=f"{THRILLER}\n{UNKNOWN}, {WALKMAN}"), htmx=True)
        assert started.status_code == 200, started.text
        job = jobs().page(10).items[0]
        assert started.headers["HX-Redirect"] == f"/ean-lookup/jobs/{job.id}" and job.total == 3
        queued = editor.get(f"/ean-lookup/jobs/{job.id}")
        assert f'data-live-topics="lookup_job:{job.id}"' in queued.text
        assert 'hx-trigger="live, every 5s"' in queued.text
        _drain(backend)
    page = editor.get(f"/ean-lookup/jobs/{job.id}")
    assert page.status_code == 200
    assert 'hx-trigger="live"' in page.text and "every 5s" not in page.text  # finished: no more polling
    assert "completed</span>" in page.text and "Thriller" in page.text and "not found</span>" in page.text
    assert "Apply the results to the products</button>" in page.text
    applied = editor.post(f"/ean-lookup/jobs/{job.id}/apply", editor.form())
    assert applied.status_code == 200 and "product(s) given the values found" in applied.text
    live = editor.get(f"/ean-lookup/jobs/{job.id}", htmx=True)
    assert live.text.lstrip().startswith('<section id="lookup-job"')
    listed = editor.get("/ean-lookup?tab=jobs")
    assert f'href="/ean-lookup/jobs/{job.id}"' in listed.text and "Start lookup</button>" in listed.text
    by_filter = editor.post("/ean-lookup/jobs", editor.form(eans="", filter_name="has_asin", filter_value="maybe"))
    assert by_filter.status_code == 422 and "must be true or false" in by_filter.text


def test_the_finder_queue_is_searched_and_a_row_resolved(backend: Backend, users: Users) -> None:
    from tests.integration.test_ean_finder_api import SOAP, imported

    editor = signed_in(backend, "ed@example.com", "editor")
    imported(backend, users)
    with lookup_world(backend) as fake:
        fake.add(SOAP, "Savon sans EAN", brand="Savonnerie")
        searched = editor.post("/ean-lookup/finder", editor.form(supplier_code=""))
        assert searched.status_code == 202, searched.text
        _drain(backend)
    queue = editor.get("/ean-lookup?tab=finder&status=candidates")
    assert queue.status_code == 200 and "Savon sans EAN" in queue.text and f"Use {SOAP}</button>" in queue.text
    row = backend.container.ean_finder_rows().page(None, None).items[0]
    bad = editor.post(f"/ean-lookup/finder/{row.id}/resolve", editor.form(gtin="123"))
    assert bad.status_code == 422
    resolved = editor.post(f"/ean-lookup/finder/{row.id}/resolve", editor.form(gtin=SOAP))
    assert resolved.status_code == 303 and resolved.headers["Location"] == "/ean-lookup?tab=finder"
    assert backend.container.ean_finder_rows().get(row.id).status.value == "resolved"
    again = editor.post(f"/ean-lookup/finder/{row.id}/dismiss", editor.form())
    assert again.status_code == 409


def _code2asin_job(backend: Backend, session: WebSession) -> str:
    started = session.post("/code2asin", session.form(eans=f"{PEN} {MUG}\n{CUP},{BOX}", marketplace="amazon.fr"))
    assert started.status_code == 303, started.text
    job_id = started.headers["Location"].split("/")[2]
    _drain(backend)
    return job_id


def test_a_code2asin_job_is_started_and_its_details_shown(backend: Backend, users: Users) -> None:
    editor = signed_in(backend, "ed@example.com", "editor")
    with code2asin_world(backend) as (amazon, _):
        amazon.add(PEN, "B000000001", title="Stabilo pen", images=[AMAZON_IMAGE])
        amazon.add(CUP, "B000000003", "B000000004")
        job_id = _code2asin_job(backend, editor)
    job = backend.client.simulate_get(f"/api/v1/code2asin/jobs/{job_id}", headers=users.viewer).json
    details = editor.get(f"/code2asin/{job_id}/details")
    assert details.status_code == 200, details.text
    labels = ["EANs", "Matched", "Ambiguous", "Not found", "Errors", "ASINs set", "Images stored",
              "Images already there"]  # fmt: skip
    counters = ("eans", "matched", "ambiguous", "not_found", "errors", "asins_set", "images_stored", "images_known")
    assert _tiles(details.text) == [(str(job["counts"][k]), label) for k, label in zip(counters, labels, strict=True)]
    assert f'data-live-topics="code2asin_job:{job_id}"' in details.text and "every 5s" not in details.text
    assert "Matching:" in details.text and "Statistics</a>" in details.text
    results = editor.get(f"/code2asin/{job_id}/details?tab=results")
    assert "Stabilo pen" in results.text and "B000000003, B000000004" in results.text
    assert editor.get(f"/code2asin/{job_id}/details?tab=results&outcome=nope").status_code == 400
    amazon_tab = editor.get(f"/code2asin/{job_id}/details?tab=amazon")
    assert f'<img src="{AMAZON_IMAGE}"' in amazon_tab.text  # previewed: Amazon's image host is allowed for images
    policy = amazon_tab.headers["Content-Security-Policy"]
    assert "https://m.media-amazon.com" in policy.split("img-src", 1)[1].split(";", 1)[0]
    assert "script-src 'self';" in policy and "connect-src 'self';" in policy
    errors_tab = editor.get(f"/code2asin/{job_id}/details?tab=errors")
    assert errors_tab.status_code == 200 and ("No error." in errors_tab.text) == (job["counts"]["errors"] == 0)
    live = editor.get(f"/code2asin/{job_id}/details?tab=statistics", htmx=True)
    assert live.text.lstrip().startswith('<section id="code2asin-job"') and "Images failed" in live.text

    page_csv = editor.get(f"/code2asin/{job_id}/results.csv")
    api_csv = backend.client.simulate_get(f"/api/v1/code2asin/jobs/{job_id}/results.csv", headers=users.viewer)
    assert page_csv.status_code == 200 and page_csv.headers["content-type"].startswith("text/csv")
    assert page_csv.content == api_csv.content and b"Stabilo pen" in page_csv.content
    assert 'href="/code2asin/' + job_id + '/results.csv"' in details.text
    listed = editor.get("/code2asin")
    assert f'href="/code2asin/{job_id}/details"' in listed.text and "Match EANs</button>" in listed.text


def test_code2asin_forms_refuse_bad_input_and_take_a_results_file(backend: Backend) -> None:
    editor = signed_in(backend, "ed@example.com", "editor")
    jobs = backend.container.code2asin_jobs
    with code2asin_world(backend):
        bad = editor.post("/code2asin", editor.form(eans="12"), htmx=True)
        assert bad.status_code == 422 and 'id="e-eans"' in bad.text and jobs().page(10).items == []
        bad_filter = editor.post("/code2asin", editor.form(filter_name="has_asin", filter_value="maybe"), htmx=True)
        assert bad_filter.status_code == 422 and "must be true or false" in bad_filter.text
        assert jobs().page(10).items == []
        boundary = "pm-web-code2asin"
        body = (f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="asins.csv"\r\n'
                f"Content-Type: text/csv\r\n\r\nean,asin,title,image\r\n{PEN},B000000001,Pen,{AMAZON_IMAGE}\r\n"
                f"\r\n--{boundary}--\r\n").encode()  # fmt: skip
        headers = {"Content-Type": f"multipart/form-data; boundary={boundary}"}
        uploaded = editor.post("/code2asin", htmx=True, body=body, headers=headers)
        assert uploaded.status_code == 200, uploaded.text
        created = jobs().page(10).items[0]
        assert uploaded.headers["HX-Redirect"] == f"/code2asin/{created.id}/details"
        assert (created.kind.value, created.file_name) == ("file", "asins.csv")
        _drain(backend)


def test_the_ean_export_streams_the_apis_csv(backend: Backend, users: Users) -> None:
    viewer = signed_in(backend, "vi@example.com", "viewer")
    created = backend.client.simulate_post("/api/v1/products", headers=users.editor, json={"ean": PEN, "name": "Pen"})
    assert created.status_code == 201
    page = viewer.get("/code2asin/ean-export.csv", query_string="has_asin=false&has_price=&q=")
    api = backend.client.simulate_get("/api/v1/code2asin/ean-export.csv", headers=users.viewer,
                                      query_string="has_asin=false")  # fmt: skip
    assert page.status_code == 200 and page.content == api.content and PEN.encode() in page.content
    assert viewer.get("/code2asin/ean-export.csv", query_string="has_asin=maybe").status_code == 400


def test_a_viewer_sees_no_control_and_is_refused_every_change(backend: Backend) -> None:
    viewer = signed_in(backend, "vi@example.com", "viewer")
    pages: dict[str, Any] = {
        "/ean-lookup?tab=jobs": "Start lookup", "/ean-lookup?tab=providers": "hx-post=",
        "/ean-lookup?tab=finder": "Search candidates", "/code2asin": "Match EANs",
    }  # fmt: skip
    for path, control in pages.items():
        page = viewer.get(path)
        assert page.status_code == 200 and control not in page.text, path
    for path in (
        "/ean-lookup/jobs",
        "/ean-lookup/finder",
        "/code2asin",
        "/ean-lookup/providers/go_upc",
        "/ean-lookup/providers/go_upc/test",
        "/ean-lookup/finder/00000000-0000-0000-0000-000000000000/dismiss",
        f"/ean-lookup/jobs/{uuid.uuid4()}/apply",
    ):
        assert viewer.post(path, viewer.form(eans=PEN)).status_code == 403, path
    editor = signed_in(backend, "ed@example.com", "editor")
    assert editor.post("/ean-lookup/providers/go_upc", editor.form(priority="2")).status_code == 403
