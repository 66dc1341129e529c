"""What a new password must be. Rules follow current guidance (length first, no known-breached passwords)
with the classic character classes the product has always asked for. The password is used exactly as
sent: never trimmed, decoded or escaped, so `p&amp;ss<Word>1` is those fifteen characters.

`common_passwords.txt` holds the 10,000 most frequent entries of the `passwords` list shipped with zxcvbn
4.5.0 (MIT licence; frequencies from leaked-password corpora), lower-cased, most frequent first."""

from __future__ import annotations

from functools import cache
from importlib import resources

from attrs import frozen

from productsmanager.domain.errors import WeakPassword


@cache
def common_passwords() -> frozenset[str]:
    text = resources.files("productsmanager.domain").joinpath("common_passwords.txt").read_text("utf-8")
    return frozenset(line for line in text.splitlines() if line)


@frozen
class PasswordRules:
    """`check` raises `WeakPassword` naming every rule the password breaks (rule code and message), so a
    form can show them all at once."""

    min_length: int = 8
    max_length: int = 128

    def violations(self, password: str, email: str | None = None) -> list[tuple[str, str]]:
        found: list[tuple[str, str]] = []
        if len(password) < self.min_length:
            found.append(("min_length", f"must have at least {self.min_length} characters"))
        if len(password) > self.max_length:
            found.append(("max_length", f"must have at most {self.max_length} characters"))
        if not any(c.isupper() for c in password):
            found.append(("uppercase", "must contain an upper-case letter"))
        if not any(c.islower() for c in password):
            found.append(("lowercase", "must contain a lower-case letter"))
        if not any(c.isdigit() for c in password):
            found.append(("digit", "must contain a digit"))
        if password.casefold() in common_passwords():
            found.append(("common", "is one of the 10,000 most common passwords"))
        if email and password.casefold() in {email.strip().casefold(), email.strip().casefold().split("@")[0]}:
            found.append(("email", "must not be the account's e-mail address"))
        return found

    def check(self, password: object, email: str | None = None, field: str = "password") -> str:
        if not isinstance(password, str):
            raise WeakPassword([("type", "must be a string")], field=field)
        found = self.violations(password, email)
        if found:
            raise WeakPassword(found, field=field)
        return password
