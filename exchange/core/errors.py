"""Errors of the domain. Services raise these; one handler turns them into JSON under /api and
into a readable message in the portal."""
from __future__ import annotations

from typing import Any


class DomainError(Exception):
    status = 400
    code = "bad_request"

    def __init__(self, code: str | None = None, message: str | None = None,
                 details: list[dict[str, Any]] | None = None):
        self.code = code or self.code
        self.message = message or self.code
        self.details = details or []
        super().__init__(self.message)

    def to_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": str(self.message)}
        if self.details:
            body["details"] = [{k: str(v) if k == "message" else v for k, v in d.items()} for d in self.details]
        return {"error": body}


class BadRequest(DomainError):
    status, code = 400, "bad_request"


class Unauthorized(DomainError):
    status, code = 401, "unauthorized"


class Forbidden(DomainError):
    status, code = 403, "forbidden"


class NotFound(DomainError):
    status, code = 404, "not_found"


class Conflict(DomainError):
    status, code = 409, "conflict"


class TooLarge(DomainError):
    status, code = 413, "too_large"


class Invalid(DomainError):
    """A field or domain validation failure: 422 with one detail per field."""
    status, code = 422, "invalid"

    @classmethod
    def field(cls, field: str, code: str, message: str) -> "Invalid":
        return cls(message=message, details=[{"field": field, "code": code, "message": message}])


class Unprocessable(DomainError):
    """A 422 with a specific code of its own (not_eligible, employer_not_approved ...)."""
    status, code = 422, "unprocessable"
