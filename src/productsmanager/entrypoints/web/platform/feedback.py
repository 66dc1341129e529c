"""A use case's refusal as a form shows it: the status and problem body the API would give (same
`to_problem`), and each field's messages by the form field's name, for the message next to the input."""

from __future__ import annotations

import re
from typing import Any

from attrs import frozen

from productsmanager.domain.errors import DomainError
from productsmanager.entrypoints.falcon.problems import problem_body, to_problem

_INDEX = re.compile(r"[.\[]")


@frozen
class FormProblem:
    status: int
    problem: dict[str, Any]
    fields: dict[str, str]
    headers: dict[str, str]


def form_problem(error: DomainError) -> FormProblem:
    """`recipients.2` and `source_priority[1]` are shown next to `recipients` and `source_priority`; a field's
    own name at the start of its message is dropped there (the label says it already)."""
    problem = to_problem(error)
    body = problem_body(problem)
    messages: dict[str, list[str]] = {}
    for entry in body.get("errors") or []:
        name = entry.get("field")
        if not name:
            continue
        base = _INDEX.split(str(name), maxsplit=1)[0]
        message = str(entry.get("message", ""))
        if message.startswith(f"{base} "):
            message = message[len(base) + 1 :]
        messages.setdefault(base, []).append(message)
    fields = {name: "; ".join(found) for name, found in messages.items()}
    return FormProblem(problem.status_code, body, fields, dict(problem.headers or {}))


def raw(form: dict[str, Any], name: str) -> str:
    """A password as typed: never trimmed (the use cases take it exactly as sent); the last of repeated values."""
    value = form.get(name, "")
    if isinstance(value, list):
        value = value[-1] if value else ""
    return str(value)
