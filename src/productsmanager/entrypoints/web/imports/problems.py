"""A use case's refusal as a form shows it: the problem (detail and field entries) and each field's message."""

from __future__ import annotations

import uuid
from typing import Any

import falcon

from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.problems import problem_body, to_problem


def form_problem(error: DomainError) -> tuple[int, dict[str, Any], dict[str, str]]:
    """(status, problem body, messages by field) for re-rendering a form with what was wrong."""
    problem = to_problem(error)
    body = problem_body(problem)
    fields = {entry["field"]: entry["message"] for entry in body.get("errors", []) if entry.get("field")}
    return problem.status_code, body, fields


def uuid_of(value: str, what: str) -> uuid.UUID:
    """A path or form id; anything else is a 404 page, as the API answers."""
    try:
        return uuid.UUID(value)
    except ValueError:
        raise falcon.HTTPNotFound(description=f"{what} {value!r} does not exist") from None
