"""Analyst accounts: password hashes (never plain text), their verification, and the back-off after wrong ones.

A hash is `pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>` (hashlib's PBKDF2, standard library only);
`python -m cnpark hash-password` makes one for `.streamlit/secrets.toml`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000          # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
BACKOFF_FREE = 2              # wrong passwords allowed before waiting starts
BACKOFF_MAX = 30.0            # seconds


def hash_password(password: str, *, salt: bytes | None = None, iterations: int = ITERATIONS) -> str:
    """The encoded hash of a password, with a fresh random salt unless one is given."""
    salt = salt if salt is not None else secrets.token_bytes(16)
    digest = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), salt, iterations)
    return f"{ALGORITHM}${iterations}${salt.hex()}${digest.hex()}"


def verify_password(password: str, encoded: str) -> bool:
    """True when the password matches the encoded hash; a malformed hash matches nothing."""
    try:
        algorithm, iterations, salt, digest = str(encoded).split("$")
        if algorithm != ALGORITHM or not 1_000 <= int(iterations) <= 10_000_000:
            return False
        expected = bytes.fromhex(digest)
        actual = hashlib.pbkdf2_hmac("sha256", password.encode("utf-8"), bytes.fromhex(salt), int(iterations))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(actual, expected)


def backoff_seconds(failures: int) -> float:
    """How long to wait before the next attempt after `failures` wrong passwords in a row: 0, 0, 1, 2, 4 … 30."""
    if failures <= BACKOFF_FREE:
        return 0.0
    return min(2.0 ** (failures - BACKOFF_FREE - 1), BACKOFF_MAX)
