"""Helpers of the import tests: the sample files, multipart bodies, a supplier with its profile."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.integration.helpers import Backend

SAMPLES = Path(__file__).resolve().parents[1] / "data" / "samples"
ACME_PROFILE = {
    "format": "csv",
    "encoding": "windows-1252",
    "delimiter": ";",
    "decimal_comma": True,
    "mapping": {
        "Code EAN": "ean",
        "Désignation": "name",
        "Marque": "brand",
        "Prix HT": "price",
        "Stock": "stock",
        "Réf fournisseur": "supplier_sku",
    },
}
GAMMA_PROFILE = {
    "mapping": {
        "ean": "ean",
        "name": "name",
        "brand": "brand",
        "price": "price",
        "stock": "stock",
        "sku": "supplier_sku",
    }
}
BETA_PROFILE = {
    "format": "xlsx",
    "mapping": {
        "EAN": "ean",
        "Title": "name",
        "Brand": "brand",
        "Price": "price",
        "Qty": "stock",
        "SKU": "supplier_sku",
    },
}


def multipart_import(file_name: str, data: bytes, supplier_code: str) -> tuple[bytes, str]:
    boundary = "pm-import-boundary-41ab"
    body = (
        (
            f'--{boundary}\r\nContent-Disposition: form-data; name="supplier_code"\r\n\r\n{supplier_code}\r\n'
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; filename="{file_name}"\r\n'
            "Content-Type: application/octet-stream\r\n\r\n"
        ).encode()
        + data
        + f"\r\n--{boundary}--\r\n".encode()
    )
    return body, f"multipart/form-data; boundary={boundary}"


def supplier_with_profile(backend: Backend, headers: dict[str, str], code: str, profile: dict[str, Any]) -> str:
    created = backend.client.simulate_post("/api/v1/suppliers", headers=headers, json={"code": code, "name": code})
    assert created.status_code == 201, created.text
    supplier_id = str(created.json["id"])
    saved = backend.client.simulate_put(
        f"/api/v1/suppliers/{supplier_id}/import-profile", headers=headers, json=profile
    )
    assert saved.status_code == 200, saved.text
    return supplier_id


def upload(backend: Backend, headers: dict[str, str], path: Path | str, code: str, data: bytes | None = None) -> Any:
    name = path if isinstance(path, str) else path.name
    content = data if data is not None else (SAMPLES / name).read_bytes()
    body, content_type = multipart_import(name, content, code)
    return backend.client.simulate_post("/api/v1/imports", headers={**headers, "Content-Type": content_type}, body=body)


def finished(backend: Backend, headers: dict[str, str], job_id: str) -> dict[str, Any]:
    assert backend.container.task_queue().drain(timeout=60)
    job = backend.client.simulate_get(f"/api/v1/imports/{job_id}", headers=headers)
    assert job.status_code == 200, job.text
    return dict(job.json)
