"""Accounts: who signs in (an analyst, or a responsible unit that reports its own rows), password hashes (never
plain text), their verification, and the back-off after wrong ones.

A hash is `pbkdf2_sha256$<iterations>$<salt hex>$<digest hex>` (hashlib's PBKDF2, standard library only);
`python -m cnpark hash-password` makes one for `.streamlit/secrets.toml`.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
from dataclasses import dataclass

ALGORITHM = "pbkdf2_sha256"
ITERATIONS = 600_000          # OWASP's 2023 figure for PBKDF2-HMAC-SHA256
BACKOFF_FREE = 2              # wrong passwords allowed before waiting starts
BACKOFF_MAX = 30.0            # seconds


ROLES = {"analyst": "分析人员", "unit": "责任单位", "reviewer": "督查室"}


@dataclass(frozen=True)
class Account:
    """Who is signed in: an analyst (uploads every dataset, rolls back), a responsible unit's account (reports only
    rows that name its unit: rules/scope.py) or the 督查室 (reviews the units' months; uploads nothing)."""
    name: str
    role: str = "analyst"
    unit: str = ""

    @property
    def author(self) -> str:
        """Who a snapshot it stores is recorded as: the unit for a unit's account, else the analyst's name."""
        return self.unit if self.role == "unit" else self.name

    @property
    def uploads(self) -> bool:
        """Whether it stores data (the 督查室 decides on the units' months; it stores none)."""
        return self.role in ("analyst", "unit")

    @property
    def scope(self) -> str | None:
        """The unit whose rows alone it may store (None: an analyst, every row)."""
        return self.unit if self.role == "unit" else None


def account_of(key: str, entry: dict) -> Account | None:
    """The account a secrets.toml entry declares ([accounts.KEY]: name, role = analyst | unit, unit = …); None for
    an unknown role or a unit account without its unit (such an entry signs no one in)."""
    role = str(entry.get("role", "analyst"))
    unit = str(entry.get("unit", "")).strip()
    if role not in ROLES or (role == "unit") != bool(unit):
        return None
    return Account(str(entry.get("name") or (unit if role == "unit" else key)), role, unit)


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
