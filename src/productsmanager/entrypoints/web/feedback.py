"""A use case's refusal as a form shows it, in every area of the back office: the status and problem body the
API would give (same `to_problem`), and each field's messages by the form field's name, for the message next to
the input."""

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
    return FormProblem(problem.status_code, body, messages_by_field(body), dict(problem.headers or {}))


def messages_by_field(body: dict[str, Any] | None) -> dict[str, str]:
    """A problem body's field entries by form field (what the form macros read as `errors.get(name)`)."""
    messages: dict[str, list[str]] = {}
    for entry in (body or {}).get("errors") or []:
        name = entry.get("field")
        if not name:
            continue
        base = _INDEX.split(str(name), maxsplit=1)[0]
        message = str(entry.get("message", ""))
        if message.startswith(f"{base} "):
            message = message[len(base) + 1 :]
        messages.setdefault(base, []).append(message)
    return {name: "; ".join(found) for name, found in messages.items()}
