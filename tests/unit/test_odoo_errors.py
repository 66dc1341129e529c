"""Odoo's refusals, as each protocol and version words them, turned into the port's errors."""

from __future__ import annotations

import pytest

from productsmanager.adapters.odoo.errors import split_odoo_text, translate_fault, translate_json_error
from productsmanager.adapters.odoo.values import refuse_none
from productsmanager.application.odoo.ports import (
    OdooAccessDenied,
    OdooAuthenticationFailed,
    OdooServerError,
    OdooUnknownDatabase,
    OdooUnreachable,
    OdooValidationError,
)

BARCODE_TAKEN = 'Barcode(s) already assigned:\n\n- Barcode "5901234123457" already assigned to product(s): Mug'


def traceback(last_line: str) -> str:
    return (
        "Traceback (most recent call last):\n"
        '  File "/opt/odoo/odoo/http.py", line 2034, in __call__\n'
        "    response = request._serve_db()\n"
        "psycopg2.errors.UniqueViolation: duplicate key\n\n"
        "During handling of the above exception, another exception occurred:\n\n"
        f"{last_line}\n"
    )


@pytest.mark.parametrize(
    ("code", "text", "kind"),
    [
        (2, BARCODE_TAKEN, OdooValidationError),
        (3, "Access Denied", OdooAuthenticationFailed),
        (4, "You are not allowed to access 'Product' (product.product) records.", OdooAccessDenied),
        (1, traceback(f"odoo.exceptions.ValidationError: {BARCODE_TAKEN}"), OdooValidationError),
        (1, traceback("odoo.exceptions.UserError: The product has no name"), OdooValidationError),
        (1, traceback("odoo.exceptions.AccessError: You are not allowed"), OdooAccessDenied),
        (1, traceback("odoo.exceptions.AccessDenied: Access Denied"), OdooAuthenticationFailed),
        (1, traceback('psycopg2.OperationalError: FATAL:  database "shop" does not exist'), OdooUnknownDatabase),
        (1, traceback("ValueError: Invalid field 'colour' on model 'product.product'"), OdooServerError),
        (1, "something odd", OdooServerError),
        ("warning -- Warning\n\nThe product has no name", "The product has no name", OdooValidationError),
        ("AccessDenied", "Access Denied", OdooAuthenticationFailed),
    ],
)
def test_faults_become_the_ports_errors(code: int | str, text: str, kind: type) -> None:
    error = translate_fault(code, text, what="product.product.create")
    assert type(error) is kind
    assert str(error).startswith("product.product.create: ")


def test_a_fault_keeps_odoos_own_message_for_the_log() -> None:
    error = translate_fault(1, traceback(f"odoo.exceptions.ValidationError: {BARCODE_TAKEN}"), what="create")
    assert error.odoo_message == BARCODE_TAKEN
    assert "5901234123457" in str(error)


def test_the_last_exception_of_a_chained_traceback_is_the_one_raised() -> None:
    assert split_odoo_text(traceback("odoo.exceptions.UserError: No")) == ("odoo.exceptions.UserError", "No")
    assert split_odoo_text("Access Denied") == (None, "Access Denied")


def json_body(name: str, message: str) -> dict[str, object]:
    return {"name": name, "message": message, "arguments": [message], "context": {}, "debug": "Traceback ..."}


@pytest.mark.parametrize(
    ("status", "body", "kind"),
    [
        (401, json_body("werkzeug.exceptions.Unauthorized", "Invalid apikey"), OdooAuthenticationFailed),
        (403, json_body("odoo.exceptions.AccessError", "You are not allowed"), OdooAccessDenied),
        (404, json_body("werkzeug.exceptions.NotFound", 'Database "shop" not found.'), OdooUnknownDatabase),
        (404, json_body("werkzeug.exceptions.NotFound", "Model not found"), OdooServerError),
        (422, json_body("odoo.exceptions.ValidationError", BARCODE_TAKEN), OdooValidationError),
        (400, json_body("odoo.exceptions.UserError", "No name"), OdooValidationError),
        (400, json_body("werkzeug.exceptions.BadRequest", "Bad JSON"), OdooServerError),
        (500, json_body("psycopg2.errors.SerializationFailure", "could not serialize"), OdooServerError),
        (502, None, OdooUnreachable),  # a proxy before a stopped or restarting Odoo: transient
        (503, None, OdooUnreachable),
        (504, "Gateway Timeout", OdooUnreachable),
        (404, None, OdooUnknownDatabase),  # Odoo could not open the database: the no-database HTML 404
        (500, None, OdooServerError),
        (401, None, OdooAuthenticationFailed),
    ],
)
def test_json2_errors_become_the_ports_errors(status: int, body: object, kind: type) -> None:
    error = translate_json_error(status, body, what="product.product.write")
    assert type(error) is kind
    assert error.odoo_message == (body["message"] if isinstance(body, dict) else None)


def test_a_404_on_the_version_means_no_odoo_at_that_url() -> None:
    error = translate_json_error(404, None, what="version", url="http://shop.example")
    assert type(error) is OdooServerError and "no Odoo answers at http://shop.example" in str(error)


def test_none_is_refused_with_the_place_it_was_found() -> None:
    with pytest.raises(ValueError, match=r"\[0\]\['barcode'\] is None"):
        refuse_none([{"name": "Mug", "barcode": None}], "values")
    with pytest.raises(ValueError, match=r"\['taxes_id'\]\[0\]\[2\]\[1\] is None"):
        refuse_none({"taxes_id": [(6, 0, [1, None])]}, "values")
    refuse_none({"barcode": False, "taxes_id": [(6, 0, [])]}, "values")
