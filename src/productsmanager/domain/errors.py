"""Domain errors: specific classes so that every layer can map them without parsing messages."""

from __future__ import annotations


class ProductsManagerError(Exception):
    """Base of every error raised on purpose, whatever the layer (a domain rule, a port's promised failure):
    a transport (problem+json, the CLI) reads `code`, `message` and `field` from any of them, and maps the
    class, never the message. `code` is a stable snake_case reason; `field` names the input at fault, if any."""

    code = "error"

    def __init__(self, message: str, *, field: str | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.field = field


class DomainError(ProductsManagerError):
    """Base of every rule the domain refuses."""

    code = "domain_error"


class InvalidValue(DomainError):
    """A value that breaks a rule of its type (too long, negative, wrong format)."""

    code = "invalid_value"


class InvalidGtin(InvalidValue):
    code = "invalid_ean"


class MissingGtin(InvalidGtin):
    code = "missing_ean"


class GtinCheckDigitMismatch(InvalidGtin):
    pass


class GtinInScientificNotation(InvalidGtin):
    """Spreadsheets turn long codes into `5.90123E+12`: the lost digits must never be guessed."""


class InvalidMediaKey(InvalidValue):
    """A key (or a part of one) that is not of the layout: never silently repaired, keys are generated."""

    code = "invalid_media_key"


class InvalidThumbnailSize(InvalidValue):
    code = "invalid_thumbnail_size"


class InvalidAsin(InvalidValue):
    code = "invalid_asin"


class InvalidEmail(InvalidValue):
    code = "invalid_email"


class WeakPassword(InvalidValue):
    """Every rule a new password breaks, as (rule, message) pairs; the API lists each one."""

    code = "weak_password"

    def __init__(self, rules: list[tuple[str, str]], *, field: str = "password") -> None:
        super().__init__(f"{field} " + "; ".join(message for _, message in rules), field=field)
        self.rules = rules

    @property
    def problems(self) -> list[str]:
        return [f"{self.field} {message}" for _, message in self.rules]


class NotFound(DomainError):
    code = "not_found"

    def __init__(self, kind: str, key: object) -> None:
        super().__init__(f"{kind} {key} does not exist")
        self.kind = kind
        self.key = key


class Conflict(DomainError):
    """The change clashes with stored state (a unique key taken, a row still referenced)."""

    code = "conflict"

    def __init__(self, message: str, *, field: str | None = None, existing_id: object = None) -> None:
        super().__init__(message, field=field)
        self.existing_id = existing_id


class AuthenticationFailed(DomainError):
    """One error for wrong e-mail, wrong password and inactive account: callers must not tell them apart."""

    code = "authentication_failed"


class Gone(DomainError):
    """What was asked for existed and is no more (an export's download after its lifetime)."""

    code = "gone"


class PermissionDenied(DomainError):
    code = "permission_denied"


class ValidationFailed(DomainError):
    """Several field rules broken at once: callers get every problem, not just the first one."""

    code = "validation_failed"

    def __init__(self, errors: list[InvalidValue]) -> None:
        super().__init__("; ".join(e.message for e in errors))
        self.errors = errors


class InvalidSettings(ValidationFailed):
    """A settings section refused: each unknown key and each bad value is one of `errors`, named by its key."""

    code = "invalid_settings"

    def __init__(self, section: str, errors: list[InvalidValue]) -> None:
        super().__init__(errors)
        self.section = section


class UnsupportedImage(InvalidValue):
    """Not an image in an accepted format (JPEG, PNG, WebP, GIF, TIFF, BMP), judged by its content, or an
    image that cannot be decoded (truncated, corrupt). `reason` is a stable machine-readable word."""

    code = "unsupported_image"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field="file")
        self.reason = reason


class ImageTooLarge(InvalidValue):
    """Over the byte or pixel limit: a decompression bomb is refused before it is decoded."""

    code = "image_too_large"

    def __init__(self, message: str, *, reason: str) -> None:
        super().__init__(message, field="file")
        self.reason = reason


class UploadTooLarge(ImageTooLarge):
    """More bytes than the upload limit allows, refused before anything reads them: the request, not the
    image, is too large (the API answers 413 where an image over the pixel limit gets 422)."""

    def __init__(self, message: str) -> None:
        super().__init__(message, reason="too_many_bytes")


class InvalidResetToken(DomainError):
    """Unknown, used, superseded or expired: one error for all, so the answer tells an attacker nothing."""

    code = "invalid_reset_token"


class TooManyRequests(DomainError):
    """A rate limit is exceeded; `retry_after` is in whole seconds (at least 1)."""

    code = "rate_limited"

    def __init__(self, message: str, *, retry_after: int) -> None:
        super().__init__(message)
        self.retry_after = max(1, retry_after)
