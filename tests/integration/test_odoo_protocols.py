"""Both Odoo adapters against the fake Odoo over real HTTP on loopback: the same calls, answers and errors."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterator
from http.server import BaseHTTPRequestHandler, HTTPServer

import pytest

from productsmanager.adapters.http.outbound_guard import OutboundGuard
from productsmanager.adapters.odoo.json2_catalog import OdooJsonCatalog
from productsmanager.adapters.odoo.xmlrpc_catalog import OdooXmlRpcCatalog
from productsmanager.application.odoo.ports import (
    OdooAccessDenied,
    OdooAuthenticationFailed,
    OdooCatalog,
    OdooConnection,
    OdooServerError,
    OdooUnknownDatabase,
    OdooUnreachable,
    OdooValidationError,
)
from tests.integration.fake_odoo import DATABASE, FakeOdoo, FakeUser, fake_odoo_server
from tests.integration.hung_server import silent_server
from tests.integration.smtp_server import free_port

pytestmark = pytest.mark.integration

ADMIN = FakeUser(2, "admin", "admin-password", "admin-api-key")
CLERK = FakeUser(7, "clerk", "clerk-password", "clerk-api-key", has_rights=False)
PROTOCOLS = {"xmlrpc": OdooXmlRpcCatalog, "json2": OdooJsonCatalog}
Connect = Callable[..., OdooCatalog]
LOOPBACK = OutboundGuard.allowing("127.0.0.1")  # the fake Odoo listens on loopback, which is refused by default


@pytest.fixture
def odoo() -> Iterator[FakeOdoo]:
    with fake_odoo_server() as server:
        server.add_user(CLERK)
        yield server


@pytest.fixture(params=sorted(PROTOCOLS))
def connect(request: pytest.FixtureRequest, odoo: FakeOdoo) -> Connect:
    """A catalog of the parametrized protocol; XML-RPC logs in with the password, JSON-2 with the API key."""
    protocol = request.param

    def make(user: FakeUser = ADMIN, *, url: str | None = None, database: str = DATABASE, **options) -> OdooCatalog:
        secret = options.pop("secret", user.password if protocol == "xmlrpc" else user.api_key)
        guard = options.pop("guard", LOOPBACK)
        connection = OdooConnection(url or odoo.url, database, user.login, secret, protocol, **options)
        return PROTOCOLS[protocol](connection, guard)

    return make


@pytest.fixture
def catalog(connect: Connect) -> OdooCatalog:
    return connect(timeout_seconds=5)


def test_version_and_authenticate(catalog: OdooCatalog) -> None:
    """Odoo 19's `/web/version` says `version`, XML-RPC's `version` says `server_version`: both report 19.0."""
    version = catalog.version()
    assert (version["server_version"], version["server_version_info"][:2]) == ("19.0", [19, 0])
    info = catalog.authenticate()
    assert (info.server_version, info.uid) == ("19.0", 2)


def test_wrong_credentials_unknown_database_and_missing_rights(connect: Connect) -> None:
    with pytest.raises(OdooAuthenticationFailed):
        connect(secret="not-the-secret").authenticate()
    with pytest.raises(OdooUnknownDatabase):  # XML-RPC: psycopg2's fault; JSON-2: the no-database HTML 404
        connect(database="nope").authenticate()
    clerk = connect(CLERK)
    assert clerk.authenticate().uid == CLERK.uid
    with pytest.raises(OdooAccessDenied, match="access rights"):
        clerk.search_read("product.product", [], ["name"])


def test_the_company_goes_in_the_context_of_every_call(connect: Connect, odoo: FakeOdoo) -> None:
    connect(company_id=3).search_count("product.product", [])
    assert odoo.contexts[-1] == {"allowed_company_ids": [3]}
    connect().search_count("product.product", [])
    assert odoo.contexts[-1] is None


def test_unreachable_servers_fail_fast_saying_only_could_not_connect(
    connect: Connect, caplog: pytest.LogCaptureFixture
) -> None:
    url = f"http://127.0.0.1:{free_port()}"
    with pytest.raises(OdooUnreachable) as refused:
        connect(url=url, timeout_seconds=1).version()
    assert str(refused.value) == f"version: could not connect to {url}"
    assert "connection refused" in caplog.text
    with silent_server() as port:
        started = time.monotonic()
        with pytest.raises(OdooUnreachable) as silent:
            connect(url=f"http://127.0.0.1:{port}", timeout_seconds=0.3).authenticate()
        assert time.monotonic() - started < 2
    assert str(silent.value) == f"version: could not connect to http://127.0.0.1:{port}"
    assert "timed out" in caplog.text


def test_a_loopback_odoo_is_refused_unless_allowed(
    connect: Connect, odoo: FakeOdoo, caplog: pytest.LogCaptureFixture
) -> None:
    with pytest.raises(OdooUnreachable) as blocked:
        connect(guard=OutboundGuard(), timeout_seconds=1).authenticate()
    assert str(blocked.value) == f"version: could not connect to {odoo.url}"  # as a closed port reads
    assert "blocked by the outbound guard" in caplog.text
    assert sum(odoo.calls.values()) == 0  # nothing reached the server
    assert connect(timeout_seconds=1).authenticate().uid == ADMIN.uid


@pytest.mark.parametrize("status", [502, 503, 504])
def test_a_gateway_in_front_of_a_stopped_odoo_is_unreachable(connect: Connect, odoo: FakeOdoo, status: int) -> None:
    """Transient: `OdooUnreachable` is what makes a worker retry the task."""
    catalog = connect(timeout_seconds=2)
    odoo.http_status = status
    with pytest.raises(OdooUnreachable, match=f"HTTP {status}"):
        catalog.authenticate()


def test_an_unknown_model_is_odoos_error_not_an_unknown_database(catalog: OdooCatalog) -> None:
    """JSON-2 answers a missing model with a JSON NotFound (404 too): Odoo's error, the database is fine."""
    with pytest.raises(OdooServerError):
        catalog.search_count("x_no.such_model", [])


def test_a_404_for_the_database_is_an_unknown_database_and_for_the_version_no_odoo(
    connect: Connect, odoo: FakeOdoo
) -> None:
    catalog = connect(timeout_seconds=2)
    catalog.authenticate()
    odoo.http_status = 404  # a database-per-host front that does not serve this one
    with pytest.raises(OdooUnknownDatabase):
        catalog.search_count("product.product", [])
    with pytest.raises(OdooServerError, match="no Odoo answers"):
        catalog.version()


def test_search_read_with_domains_and_paging(catalog: OdooCatalog, odoo: FakeOdoo) -> None:
    ids = [odoo.store.add("product.product", name=f"Mug {n}", barcode=f"590000000000{n}") for n in range(5)]
    odoo.store.add("product.product", name="Plate", barcode="5900000000099", active=False)
    page = catalog.search_read("product.product", [["name", "ilike", "mug"]], ["name"], offset=1, limit=2, order="id")
    assert [row["id"] for row in page] == ids[1:3]
    assert [row["name"] for row in page] == ["Mug 1", "Mug 2"]
    picked = catalog.search_read("product.product", [["barcode", "in", ["5900000000001", "5900000000003"]]], ["id"])
    assert [row["id"] for row in picked] == [ids[1], ids[3]]
    assert catalog.search_count("product.product", [["active", "!=", False], ["name", "ilike", "mug"]]) == 5
    assert (
        catalog.search_read("product.product", [["id", "=", ids[4]]], ["name"], order="id desc")[0]["name"] == "Mug 4"
    )


def test_create_single_and_list_then_write_taxes(catalog: OdooCatalog, odoo: FakeOdoo) -> None:
    category = odoo.store.add("product.category", name="Kitchen")
    vat20, vat5 = odoo.store.add("account.tax", name="VAT 20%"), odoo.store.add("account.tax", name="VAT 5.5%")
    single = catalog.create("product.product", {"name": "Mug", "categ_id": category, "taxes_id": [(6, 0, [vat20])]})
    assert isinstance(single, int)
    listed = catalog.create("product.product", [{"name": "Plate", "list_price": 4.5}, {"name": "Bowl"}])
    assert isinstance(listed, list) and len(listed) == 2
    assert odoo.calls[("product.product", "create")] == 2  # the list went in one call
    assert catalog.write("product.product", [single, *listed], {"taxes_id": [(6, 0, [vat5, vat20])]}) is True
    rows = catalog.read("product.product", [single, listed[0]], ["categ_id", "taxes_id", "list_price"])
    assert rows[0]["categ_id"] == [category, "Kitchen"]
    assert rows[1]["categ_id"] is False
    assert [row["taxes_id"] for row in rows] == [[vat5, vat20], [vat5, vat20]]
    assert rows[1]["list_price"] == 4.5
    catalog.write("product.product", [single], {"taxes_id": [[6, 0, []]]})
    assert catalog.read("product.product", [single], ["taxes_id"])[0]["taxes_id"] == []


def test_a_duplicate_barcode_is_a_validation_error_with_odoos_message(catalog: OdooCatalog, odoo: FakeOdoo) -> None:
    odoo.store.add("product.product", name="Mug", barcode="5901234123457")
    with pytest.raises(OdooValidationError) as refused:
        catalog.create("product.product", {"name": "Other mug", "barcode": "5901234123457"})
    assert 'Barcode "5901234123457" already assigned to product(s): Mug' in (refused.value.odoo_message or "")
    other = catalog.create("product.product", {"name": "Plate", "barcode": "5901234123464"})
    with pytest.raises(OdooValidationError):
        catalog.write("product.product", [other], {"barcode": "5901234123457"})


def test_none_is_refused_before_anything_is_sent(catalog: OdooCatalog, odoo: FakeOdoo) -> None:
    catalog.authenticate()
    before = sum(odoo.calls.values())
    with pytest.raises(ValueError, match=r"\['default_code'\] is None"):
        catalog.create("product.product", [{"name": "Mug", "default_code": None}])
    with pytest.raises(ValueError, match="barcode"):
        catalog.write("product.product", [1], {"barcode": None})
    assert sum(odoo.calls.values()) == before


def test_fields_get_describes_types_and_relations(catalog: OdooCatalog) -> None:
    fields = catalog.fields_get("product.product", ["type", "string", "relation"])
    assert fields["barcode"] == {"type": "char", "string": "Barcode"}
    assert fields["categ_id"] == {"type": "many2one", "string": "Product Category", "relation": "product.category"}
    assert fields["taxes_id"]["relation"] == "account.tax"


def test_the_uid_is_asked_once_and_latency_applies_per_call(catalog: OdooCatalog, odoo: FakeOdoo) -> None:
    catalog.search_count("product.product", [])
    odoo.latency_seconds = 0.05
    started = time.monotonic()
    catalog.search_count("product.product", [])
    assert time.monotonic() - started >= 0.05
    assert odoo.calls[("product.product", "search_count")] == 2
    assert odoo.calls[("common", "authenticate")] <= 1


def test_json2_finds_the_uid_by_login_when_the_context_has_none(odoo: FakeOdoo) -> None:
    odoo.context_has_uid = False
    connection = OdooConnection(odoo.url, DATABASE, CLERK.login, CLERK.api_key, "json2", timeout_seconds=5)
    assert OdooJsonCatalog(connection, LOOPBACK).authenticate().uid == CLERK.uid


def test_xmlrpc_refuses_an_answer_with_entities() -> None:
    """An entity-expansion answer (a hostile or hijacked server) is refused by the defused parser, not expanded."""
    bomb = (
        b'<?xml version="1.0"?><!DOCTYPE lolz [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;">]>'
        b"<methodResponse><params><param><value><string>&lol2;</string></value></param></params></methodResponse>"
    )

    class Hostile(BaseHTTPRequestHandler):
        def do_POST(self) -> None:
            self.rfile.read(int(self.headers["Content-Length"]))
            self.send_response(200)
            self.send_header("Content-Type", "text/xml")
            self.send_header("Content-Length", str(len(bomb)))
            self.end_headers()
            self.wfile.write(bomb)

        def log_message(self, format: str, *args: object) -> None:
            pass

    server = HTTPServer(("127.0.0.1", 0), Hostile)
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}"
        connection = OdooConnection(url, DATABASE, "admin", "x", "xmlrpc", timeout_seconds=5)
        catalog = OdooXmlRpcCatalog(connection, LOOPBACK)
        with pytest.raises(OdooServerError, match="not valid XML-RPC"):
            catalog.version()
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
