"""Reviewer accounts and API tokens, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
import time
from collections.abc import Iterator

import pytest
from sqlalchemy import select, text

from ahdath.errors import UsageError
from ahdath.store import Store
from ahdath.store.schema import api_tokens, users
from ahdath.store.users import (User, add_user, authenticate, create_token, disable_user, list_users,
                                server_secret, set_password, user_for_token)

PASSWORD = "كلمة-سر-طويلة"


@pytest.fixture
def store(db_url: str) -> Iterator[Store]:
    with Store.open(db_url, actor="tester") as s:
        yield s


def test_users_add_then_authenticate(store: Store) -> None:
    assert add_user(store, "layla", "coder", PASSWORD) == User("layla", "coder")
    assert add_user(store, "omar", "admin", "another password") == User("omar", "admin")
    assert authenticate(store.engine, "layla", PASSWORD) == User("layla", "coder")
    assert authenticate(store.engine, "omar", "another password") == User("omar", "admin")
    assert authenticate(store.engine, "layla", "another password") is None
    assert authenticate(store.engine, "nobody", PASSWORD) is None
    assert authenticate(store.engine, "", PASSWORD) is None
    assert authenticate(store.engine, "layla", "") is None


def test_users_password_kept_only_as_argon2_hash(store: Store) -> None:
    add_user(store, "layla", "coder", PASSWORD)
    with store.engine.connect() as conn:
        stored = conn.execute(select(users.c.password_hash)).scalar_one()
    assert stored.startswith("$argon2id$") and PASSWORD not in stored


@pytest.mark.parametrize(("name", "role", "password", "message"), [
    ("", "coder", PASSWORD, "user name"),
    ("two words", "coder", PASSWORD, "user name"),
    ("x" * 65, "coder", PASSWORD, "user name"),
    ("layla", "boss", PASSWORD, "not a role"),
    ("layla", "coder", "short", "at least 8"),
    ("layla", "coder", "x" * 2000, "at most"),
])
def test_users_add_refuses_bad_input(store: Store, name: str, role: str, password: str, message: str) -> None:
    with pytest.raises(UsageError, match=message) as info:
        add_user(store, name, role, password)
    assert info.value.code == "E500"
    assert list_users(store.engine) == []


def test_users_name_taken_once(store: Store) -> None:
    add_user(store, "layla", "coder", PASSWORD)
    with pytest.raises(UsageError, match="exists already"):
        add_user(store, "layla", "admin", PASSWORD)
    assert [(u.name, u.role) for u in list_users(store.engine)] == [("layla", "coder")]


def test_users_set_password_and_disable(store: Store) -> None:
    add_user(store, "layla", "coder", PASSWORD)
    set_password(store, "layla", "a new password")
    assert authenticate(store.engine, "layla", PASSWORD) is None
    assert authenticate(store.engine, "layla", "a new password") == User("layla", "coder")
    token = create_token(store, "layla", "script")
    disable_user(store, "layla")
    assert authenticate(store.engine, "layla", "a new password") is None
    assert user_for_token(store.engine, token) is None
    assert [u.disabled for u in list_users(store.engine)] == [True]
    with pytest.raises(UsageError, match="disabled"):
        create_token(store, "layla")


@pytest.mark.parametrize("action", ["set_password", "disable", "token"])
def test_users_unknown_user_named(store: Store, action: str) -> None:
    with pytest.raises(UsageError, match="no user 'ghost'"):
        if action == "set_password":
            set_password(store, "ghost", PASSWORD)
        elif action == "disable":
            disable_user(store, "ghost")
        else:
            create_token(store, "ghost")


def test_users_token_stored_hashed_and_found(store: Store) -> None:
    add_user(store, "layla", "coder", PASSWORD)
    add_user(store, "omar", "admin", PASSWORD)
    t1, t2 = create_token(store, "layla", "nightly export"), create_token(store, "omar")
    assert t1 != t2 and len(t1) >= 43
    with store.engine.connect() as conn:
        rows = conn.execute(select(api_tokens.c.token_hash, api_tokens.c.label, api_tokens.c.last_used_at)
                            .order_by(api_tokens.c.id)).all()
    assert [r.token_hash for r in rows] == [hashlib.sha256(t.encode()).hexdigest() for t in (t1, t2)]
    assert rows[0].label == "nightly export" and rows[0].last_used_at is None
    assert user_for_token(store.engine, t1) == User("layla", "coder")
    assert user_for_token(store.engine, t2) == User("omar", "admin")
    with store.engine.connect() as conn:
        used = conn.execute(select(api_tokens.c.last_used_at).order_by(api_tokens.c.id)).scalars().all()
    assert used[0] is not None and abs(used[0] - time.time()) < 60
    assert [u.tokens for u in list_users(store.engine)] == [1, 1]


@pytest.mark.parametrize("token", ["", "x", "Bearer", "a" * 43, "a" * 5000])
def test_users_wrong_token_is_nobody(store: Store, token: str) -> None:
    add_user(store, "layla", "coder", PASSWORD)
    create_token(store, "layla")
    assert user_for_token(store.engine, token) is None


def test_users_unknown_name_costs_what_a_known_one_does(store: Store) -> None:
    """No timing oracle for which names are accounts: an unknown name runs one argon2 check too."""
    add_user(store, "layla", "coder", PASSWORD)

    def best(name: str) -> float:
        times = []
        for _ in range(3):
            t = time.perf_counter()
            authenticate(store.engine, name, "wrong password")
            times.append(time.perf_counter() - t)
        return min(times)

    known, unknown = best("layla"), best("nobody")
    assert unknown > 0.4 * known, (known, unknown)


def test_users_server_secret_made_once_and_kept(store: Store, db_url: str) -> None:
    first = server_secret(store)
    assert len(first) == 32
    assert server_secret(store) == first
    with Store.open(db_url) as again:
        assert server_secret(again) == first
    with store.engine.connect() as conn:
        assert conn.execute(text("SELECT count(*) FROM settings")).scalar_one() == 1


@pytest.mark.parametrize("password", ["ab\udc80cdefgh", "\ud800" * 8])
def test_users_password_that_is_not_text_refused(store: Store, password: str) -> None:
    """A lone surrogate (what a broken client can send) is no password: a login fails, an account
    is refused with E500, and neither raises an encoding error."""
    add_user(store, "layla", "coder", PASSWORD)
    assert authenticate(store.engine, "layla", password) is None
    assert authenticate(store.engine, "nobody", password) is None
    with pytest.raises(UsageError, match="not text"):
        add_user(store, "omar", "coder", password)
    with pytest.raises(UsageError, match="not text"):
        set_password(store, "layla", password)
    assert authenticate(store.engine, "layla", PASSWORD) == User("layla", "coder")


@pytest.mark.parametrize("name", ["lay\udc80la", "layla\x00"])
def test_users_name_that_is_not_text_is_nobody(store: Store, name: str) -> None:
    add_user(store, "layla", "coder", PASSWORD)
    assert authenticate(store.engine, name, PASSWORD) is None
    with pytest.raises(UsageError):
        add_user(store, name, "coder", PASSWORD)


def test_users_token_works_at_once_while_a_writer_holds_the_store(db_url: str) -> None:
    """An ingest batch holding the write lock must not hold up a script's request: the token's
    last use is noted when the store is free, skipped when it is not."""
    with Store.open(db_url, actor="tester", lock_timeout=20) as store:
        add_user(store, "layla", "coder", PASSWORD)
        token = create_token(store, "layla")
        with store.transaction():  # what an ingest batch holds while it writes
            started = time.monotonic()
            assert user_for_token(store.engine, token) == User("layla", "coder")
            assert time.monotonic() - started < 5
        assert user_for_token(store.engine, token) == User("layla", "coder")
