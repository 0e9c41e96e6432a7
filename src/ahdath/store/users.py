"""Who may review: users with argon2-hashed passwords, API tokens for scripts, the server's secret.

Reading the store needs no account (the web app's own setting decides); every change the web app
makes is made as a user of this table, whose name goes into the change log. Passwords are kept
only as argon2id hashes (argon2-cffi, the ``web`` extra); a token is shown once, when made, and
kept as its sha256 digest: a token is 32 random bytes, so a fast hash is enough, and a lookup is
one indexed equality. ``authenticate`` does the same argon2 work whether the name exists or not,
so the time a login takes does not tell which names are accounts.
"""
from __future__ import annotations

import hashlib
import secrets
import time
from dataclasses import dataclass
from typing import Any, Literal

from sqlalchemy import func, insert, select, update

from ahdath.errors import MissingExtraError, UsageError
from ahdath.store import locks
from ahdath.store.db import is_database_error, read_connection
from ahdath.store.repository import Store
from ahdath.store.schema import api_tokens, settings, users

Role = Literal["coder", "admin"]
ROLES: tuple[str, ...] = ("coder", "admin")
MIN_PASSWORD = 8
MAX_PASSWORD = 1024  # argon2 hashes any length; a bound keeps a login request from being a workload
MAX_NAME = 64
SECRET_KEY = "session_secret"
# a token's last use is written at most this often: a script's every request must not be a write
TOKEN_TOUCH_SECONDS = 60.0
_TOUCH_WAIT_MS = 200
# what an unknown name's login is checked against: the hash of a random string nobody kept, made
# with argon2-cffi's default parameters (those ``PasswordHasher()`` hashes with), so it costs what a
# real user's check costs
_UNKNOWN_USER_HASH = "$argon2id$v=19$m=65536,t=3,p=4$MpaQi55vEZyMDPIR6RodAw$nJoYvADOKoPfNKEMVHO3A55WnR6uNC922AwgXOjWmIE"


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: str  # coder | admin


@dataclass(frozen=True, slots=True)
class UserInfo:
    """A user as ``ahdath user list`` shows it."""

    name: str
    role: str
    created_at: float
    disabled: bool
    tokens: int


def _hasher() -> Any:
    try:
        from argon2 import PasswordHasher
    except ImportError:
        raise MissingExtraError("user accounts need argon2-cffi, which is not installed: "
                                "pip install 'ahdath[web]'") from None
    return PasswordHasher()


def _is_text(value: str) -> bool:
    """Encodable as UTF-8, without NUL: a lone surrogate (a broken client's) or a NUL (which
    PostgreSQL cannot keep) makes a value no name or password."""
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        return False
    return "\x00" not in value


def _check_name(name: str) -> str:
    name = name.strip()
    if not name or len(name) > MAX_NAME or not _is_text(name) or any(
            ch.isspace() or not ch.isprintable() for ch in name):
        raise UsageError(f"{name!r}: a user name is 1 to {MAX_NAME} printable characters without spaces")
    return name


def _check_role(role: str) -> str:
    if role not in ROLES:
        raise UsageError(f"{role!r}: not a role (roles: {', '.join(ROLES)})")
    return role


def _check_password(password: str) -> str:
    if not _is_text(password):
        raise UsageError("a password is not text (it holds a NUL or an unpaired surrogate)")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"a password needs at least {MIN_PASSWORD} characters")
    if len(password) > MAX_PASSWORD:
        raise UsageError(f"a password has at most {MAX_PASSWORD} characters")
    return password


def _row(conn: Any, name: str) -> Any:
    return conn.execute(select(users).where(users.c.name == name)).mappings().first()


def _existing(conn: Any, name: str) -> Any:
    row = _row(conn, name)
    if row is None:
        raise UsageError(f"no user {name!r} (see `ahdath user list`)")
    return row


def add_user(store: Store, name: str, role: str, password: str) -> User:
    """A new user; the name must be free."""
    name, role = _check_name(name), _check_role(role)
    digest = _hasher().hash(_check_password(password))  # before the transaction: it takes a while
    with store.transaction() as conn:
        if _row(conn, name) is not None:
            raise UsageError(f"user {name!r} exists already")
        conn.execute(insert(users).values(name=name, role=role, password_hash=digest, created_at=time.time(),
                                          disabled=False))
    return User(name, role)


def set_password(store: Store, name: str, password: str) -> None:
    """A new password (a disabled user stays disabled)."""
    digest = _hasher().hash(_check_password(password))
    with store.transaction() as conn:
        row = _existing(conn, name)
        conn.execute(update(users).where(users.c.id == row["id"]).values(password_hash=digest))


def disable_user(store: Store, name: str) -> None:
    """The user can no longer log in, and their tokens no longer work; their history stays."""
    with store.transaction() as conn:
        row = _existing(conn, name)
        conn.execute(update(users).where(users.c.id == row["id"]).values(disabled=True))


def authenticate(engine: Any, name: str, password: str) -> User | None:
    """The user, when the name and password match an enabled account; else None."""
    from argon2.exceptions import InvalidHashError, VerificationError

    hasher = _hasher()
    with read_connection(engine) as conn:
        row = _row(conn, name) if 0 < len(name) <= MAX_NAME and _is_text(name) else None
    # an unknown name is verified against a hash of nothing: the same work, so the same time
    digest = row["password_hash"] if row is not None else _UNKNOWN_USER_HASH
    # a password that is not text is checked as an empty one (the same work again), which fails
    given = password[:MAX_PASSWORD + 1] if _is_text(password) else ""
    try:
        ok = hasher.verify(digest, given) and given != ""
    except (VerificationError, InvalidHashError):
        ok = False
    if not ok or row is None or row["disabled"]:
        return None
    return User(row["name"], row["role"])


def _token_digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def create_token(store: Store, name: str, label: str | None = None) -> str:
    """A new API token for the user; returned once, kept only as its digest."""
    token = secrets.token_urlsafe(32)
    with store.transaction() as conn:
        row = _existing(conn, name)
        if row["disabled"]:
            raise UsageError(f"user {name!r} is disabled")
        conn.execute(insert(api_tokens).values(user_id=row["id"], token_hash=_token_digest(token),
                                               label=(label or "").strip()[:255] or None, created_at=time.time()))
    return token


def user_for_token(engine: Any, token: str) -> User | None:
    """The enabled user the token belongs to, else None; notes when the token was last used."""
    if not token or len(token) > 256:
        return None
    digest = _token_digest(token)
    with read_connection(engine) as conn:
        row = conn.execute(select(users.c.name, users.c.role, users.c.disabled, api_tokens.c.id,
                                  api_tokens.c.last_used_at)
                           .join(users, users.c.id == api_tokens.c.user_id)
                           .where(api_tokens.c.token_hash == digest)).first()
    if row is None or row.disabled:
        return None
    now = time.time()
    if row.last_used_at is None or now - row.last_used_at > TOKEN_TOUCH_SECONDS:
        _touch(engine, row.id, now)
    return User(row.name, row.role)


def _touch(engine: Any, token_id: int, now: float) -> None:
    """Note a token's use, if the store can take it at once. A note for the admin, not a condition
    of access: a store opened read-only, or held by a writer (an ingest batch), still knows the
    token, and the request does not wait for the writer."""
    try:
        # a deferred transaction (``READ_ONLY`` only makes SQLite's BEGIN deferred) that asks for the
        # write lock at the UPDATE and waits a moment for it, not the writers' lock timeout
        with read_connection(engine) as conn:
            sqlite = conn.dialect.name == "sqlite"
            try:
                # the first statement begins the transaction (autobegin), the UPDATE ends it
                conn.exec_driver_sql(f"PRAGMA busy_timeout={_TOUCH_WAIT_MS}" if sqlite
                                     else f"SET LOCAL lock_timeout = {_TOUCH_WAIT_MS}")
                conn.execute(update(api_tokens).where(api_tokens.c.id == token_id).values(last_used_at=now))
                conn.commit()
            finally:
                if sqlite:
                    conn.rollback()
                    conn.exec_driver_sql(f"PRAGMA busy_timeout={locks.milliseconds(locks.timeout_of(conn))}")
    except Exception as exc:
        if not is_database_error(exc):
            raise


def list_users(engine: Any) -> list[UserInfo]:
    """Every user, by name."""
    n_tokens = (select(api_tokens.c.user_id, func.count().label("n")).group_by(api_tokens.c.user_id).subquery())
    with read_connection(engine) as conn:
        rows = conn.execute(select(users.c.name, users.c.role, users.c.created_at, users.c.disabled,
                                   func.coalesce(n_tokens.c.n, 0))
                            .outerjoin(n_tokens, n_tokens.c.user_id == users.c.id).order_by(users.c.name)).all()
    return [UserInfo(name, role, created, bool(disabled), int(n)) for name, role, created, disabled, n in rows]


def server_secret(store: Store) -> bytes:
    """The secret that signs the web app's sessions: made on first use and kept in ``settings``,
    so that every server process on one store signs alike and a restart keeps people logged in."""
    with read_connection(store.engine) as conn:
        value = conn.execute(select(settings.c.value).where(settings.c.key == SECRET_KEY)).scalar()
    if value is None:
        with store.transaction() as conn:  # writers are serialised: a second server finds the first's
            value = conn.execute(select(settings.c.value).where(settings.c.key == SECRET_KEY)).scalar()
            if value is None:
                value = secrets.token_hex(32)
                conn.execute(insert(settings).values(key=SECRET_KEY, value=value))
    return bytes.fromhex(value)
