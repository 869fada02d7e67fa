"""Reviewers: the people who judge pairs blind, and the admins who run the review.

Passwords are stored only as scrypt hashes with a per-user random salt; the hash string
carries its own parameters (``scrypt$n$r$p$salt$hash``) so they can be raised later
without breaking old accounts. A reviewer may also have no password at all and log in
through the app's OIDC provider (``st.login``), matched by username = e-mail address.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import re
import secrets
from dataclasses import dataclass
from datetime import datetime

import duckdb

from core.errors import UserError
from core.store.db import Store

ROLES = ("reviewer", "admin")
#: occupations entry meaning "every occupation" (useful for admins and generalists)
ANY_OCCUPATION = "*"

_SCRYPT_N, _SCRYPT_R, _SCRYPT_P = 2**15, 8, 1
_USERNAME_RE = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._@+-]{0,127}$")
MIN_PASSWORD_CHARS = 8


@dataclass(frozen=True)
class Reviewer:
    reviewer_id: str
    username: str
    display_name: str | None
    role: str
    occupations: tuple[str, ...]
    active: bool
    has_password: bool
    created_at: datetime | None = None

    @property
    def is_admin(self) -> bool:
        return self.role == "admin"

    @property
    def label(self) -> str:
        return self.display_name or self.username

# -- password hashing --------------------------------------------------------------


def _b64(raw: bytes) -> str:
    return base64.b64encode(raw).decode("ascii")


def hash_password(password: str) -> str:
    """A self-describing scrypt hash of ``password`` with a fresh 16-byte salt."""
    salt = secrets.token_bytes(16)
    digest = hashlib.scrypt(password.encode("utf-8"), salt=salt, n=_SCRYPT_N, r=_SCRYPT_R,
                            p=_SCRYPT_P, maxmem=128 * 1024 * 1024, dklen=32)
    return f"scrypt${_SCRYPT_N}${_SCRYPT_R}${_SCRYPT_P}${_b64(salt)}${_b64(digest)}"


def verify_password(password: str, stored: str | None) -> bool:
    """Constant-time check of ``password`` against a stored hash (False when none)."""
    if not stored:
        return False
    try:
        scheme, n, r, p, salt, digest = stored.split("$")
        if scheme != "scrypt":
            return False
        expected = base64.b64decode(digest)
        got = hashlib.scrypt(password.encode("utf-8"), salt=base64.b64decode(salt), n=int(n),
                             r=int(r), p=int(p), maxmem=128 * 1024 * 1024, dklen=len(expected))
    except (ValueError, TypeError):
        return False
    return hmac.compare_digest(got, expected)


def check_password_strength(password: str) -> None:
    if len(password) < MIN_PASSWORD_CHARS:
        raise UserError(f"the password must have at least {MIN_PASSWORD_CHARS} characters")


# -- rows --------------------------------------------------------------------------

_COLUMNS = ("reviewer_id, username, display_name, role, occupations, active, "
            "password_hash IS NOT NULL AS has_password, created_at")


def _from_row(row: tuple) -> Reviewer:
    rid, username, display, role, occs, active, has_pw, created = row
    return Reviewer(rid, username, display, role, tuple(occs or ()), bool(active), bool(has_pw),
                    created)


def _validate(username: str, role: str, occupations: list[str]) -> None:
    if not _USERNAME_RE.match(username):
        raise UserError(f"username {username!r} is not valid: use letters, digits and . _ @ + - "
                        "(an e-mail address works)")
    if role not in ROLES:
        raise UserError(f"role {role!r} is not one of {', '.join(ROLES)}")
    if role == "reviewer" and not occupations:
        raise UserError(f"reviewer {username!r} needs at least one --occupation (or '*')")


def add_reviewer(store: Store, username: str, *, password: str | None,
                 occupations: list[str], role: str = "reviewer",
                 display_name: str | None = None) -> Reviewer:
    """Create an account. ``password=None`` makes an OIDC-only account."""
    occupations = [o.strip() for o in occupations if o.strip()]
    _validate(username, role, occupations)
    if password is not None:
        check_password_strength(password)
    pw_hash = hash_password(password) if password is not None else None
    rid = "rev_" + secrets.token_hex(8)

    def write(con: duckdb.DuckDBPyConnection) -> None:
        if con.execute("SELECT 1 FROM reviewers WHERE lower(username) = lower(?)",
                       [username]).fetchone():
            raise UserError(f"reviewer {username!r} already exists")
        con.execute(
            """INSERT INTO reviewers (reviewer_id, username, display_name, role, occupations,
                   password_hash, active) VALUES (?, ?, ?, ?, ?, ?, true)""",
            [rid, username, display_name, role, occupations, pw_hash])

    store.write(write)
    found = get_reviewer(store, username)
    assert found is not None
    return found


def get_reviewer(store: Store, username: str) -> Reviewer | None:
    rows = store.read(lambda con: con.execute(
        f"SELECT {_COLUMNS} FROM reviewers WHERE lower(username) = lower(?)",
        [username]).fetchall())
    return _from_row(rows[0]) if rows else None


def get_reviewer_by_id(store: Store, reviewer_id: str) -> Reviewer | None:
    rows = store.read(lambda con: con.execute(
        f"SELECT {_COLUMNS} FROM reviewers WHERE reviewer_id = ?", [reviewer_id]).fetchall())
    return _from_row(rows[0]) if rows else None


def list_reviewers(store: Store, *, include_inactive: bool = True) -> list[Reviewer]:
    where = "" if include_inactive else "WHERE active"
    rows = store.read(lambda con: con.execute(
        f"SELECT {_COLUMNS} FROM reviewers {where} ORDER BY username").fetchall())
    return [_from_row(r) for r in rows]


def authenticate(store: Store, username: str, password: str) -> Reviewer | None:
    """The active reviewer with this username and password, else None (never says which
    part was wrong)."""
    rows = store.read(lambda con: con.execute(
        f"SELECT {_COLUMNS}, password_hash FROM reviewers WHERE lower(username) = lower(?)",
        [username.strip()]).fetchall())
    if not rows:
        verify_password(password, hash_password("timing-equaliser"))
        return None
    *cols, pw_hash = rows[0]
    ok = verify_password(password, pw_hash)
    reviewer = _from_row(tuple(cols))
    return reviewer if ok and reviewer.active else None


def _require(store: Store, username: str) -> Reviewer:
    found = get_reviewer(store, username)
    if found is None:
        raise UserError(f"no reviewer named {username!r}; see `occubench reviewers list`")
    return found


def set_active(store: Store, username: str, active: bool) -> Reviewer:
    """Disable (or re-enable) an account; its votes stay as they are."""
    rev = _require(store, username)
    store.write(lambda con: con.execute(
        "UPDATE reviewers SET active = ? WHERE reviewer_id = ?", [active, rev.reviewer_id]))
    return _require(store, username)


def set_password(store: Store, username: str, password: str) -> None:
    rev = _require(store, username)
    check_password_strength(password)
    pw_hash = hash_password(password)
    store.write(lambda con: con.execute(
        "UPDATE reviewers SET password_hash = ? WHERE reviewer_id = ?",
        [pw_hash, rev.reviewer_id]))


def set_occupations(store: Store, username: str, occupations: list[str]) -> Reviewer:
    rev = _require(store, username)
    occupations = [o.strip() for o in occupations if o.strip()]
    _validate(rev.username, rev.role, occupations)
    store.write(lambda con: con.execute(
        "UPDATE reviewers SET occupations = ? WHERE reviewer_id = ?",
        [occupations, rev.reviewer_id]))
    return _require(store, username)
