"""HMAC-SHA256 signatures of feed requests and responses (protocol.md, "Authentication").

request:  v1=hex(HMAC(secret, "{timestamp}.{METHOD}.{path_with_query}.{sha256_hex(body)}"))
response: v1=hex(HMAC(secret, "{timestamp}.{status}.{sha256_hex(body)}"))
During a rotation the previous secret (<secret_env>_PREVIOUS) is accepted too."""
from __future__ import annotations

import hashlib
import hmac
from dataclasses import dataclass

MAX_SKEW_SECONDS = 300


@dataclass(frozen=True)
class Secrets:
    current: str | None
    previous: str | None = None

    @property
    def accepted(self) -> list[str]:
        return [s for s in (self.current, self.previous) if s]


def body_hash(body: bytes) -> str:
    return hashlib.sha256(body or b"").hexdigest()


def sign(secret: str, message: str) -> str:
    return "v1=" + hmac.new(secret.encode(), message.encode(), hashlib.sha256).hexdigest()


def request_message(timestamp: str, method: str, path_with_query: str, body: bytes) -> str:
    return f"{timestamp}.{method.upper()}.{path_with_query}.{body_hash(body)}"


def response_message(timestamp: str, status: int, body: bytes) -> str:
    return f"{timestamp}.{status}.{body_hash(body)}"


def sign_request(secret: str, timestamp: str, method: str, path_with_query: str, body: bytes = b"") -> str:
    return sign(secret, request_message(timestamp, method, path_with_query, body))


def sign_response(secret: str, timestamp: str, status: int, body: bytes) -> str:
    return sign(secret, response_message(timestamp, status, body))


def verify(secrets: Secrets, message: str, signature: str) -> bool:
    """Constant-time comparison against every accepted secret."""
    return verifying_secret(secrets, message, signature) is not None


def verifying_secret(secrets: Secrets, message: str, signature: str) -> str | None:
    """The accepted secret that signed `message` (every one is compared, in constant time), so the
    answer can be signed with the secret the caller knows while a rotation is under way."""
    found = None
    for secret in secrets.accepted:
        if hmac.compare_digest(sign(secret, message), signature or "") and found is None:
            found = secret
    return found


def fresh(timestamp: str, now: float) -> bool:
    try:
        return abs(int(timestamp) - now) <= MAX_SKEW_SECONDS
    except (TypeError, ValueError):
        return False
