"""``ahdath user``: add, password, token, list, disable, end to end through the command line."""
from __future__ import annotations

import io
from pathlib import Path

import pytest

from ahdath.cli.main import main
from ahdath.store import Store
from ahdath.store.users import User, authenticate, user_for_token


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> str:
    monkeypatch.delenv("AHDATH_DB", raising=False)
    return f"sqlite:///{tmp_path}/events.sqlite"


def _stdin(monkeypatch: pytest.MonkeyPatch, text: str) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO(text))


def test_cli_users_add_token_list_disable(db: str, monkeypatch: pytest.MonkeyPatch,
                                          capsys: pytest.CaptureFixture) -> None:
    _stdin(monkeypatch, "a long password\n")
    assert main(["user", "add", "layla", "--role", "admin", "--password-stdin", "--db", db]) == 0
    assert "user layla added (admin)" in capsys.readouterr().err
    _stdin(monkeypatch, "second password\r\n")
    assert main(["user", "add", "omar", "--password-stdin", "--db", db]) == 0
    capsys.readouterr()
    assert main(["user", "token", "omar", "--label", "nightly", "--db", db]) == 0
    out = capsys.readouterr()
    token = out.out.strip()
    assert "shown only now" in out.err and token and "\n" not in token
    assert main(["user", "list", "--db", db]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split("\t")[:4] for line in lines] == [["layla", "admin", "active", "0 token(s)"],
                                                         ["omar", "coder", "active", "1 token(s)"]]
    with Store.open(db, access="read") as store:
        assert authenticate(store.engine, "layla", "a long password") == User("layla", "admin")
        assert authenticate(store.engine, "omar", "second password") == User("omar", "coder")
        assert user_for_token(store.engine, token) == User("omar", "coder")
    _stdin(monkeypatch, "changed password\n")
    assert main(["user", "password", "omar", "--password-stdin", "--db", db]) == 0
    assert main(["user", "disable", "omar", "--db", db]) == 0
    assert "user omar disabled" in capsys.readouterr().err
    with Store.open(db, access="read") as store:
        assert authenticate(store.engine, "omar", "changed password") is None
        assert user_for_token(store.engine, token) is None
    assert main(["user", "list", "--db", db]) == 0
    assert "omar\tcoder\tdisabled" in capsys.readouterr().out


@pytest.mark.parametrize(("argv", "stdin", "message"), [
    (["user", "add", "layla", "--password-stdin"], "", "no password on stdin"),
    (["user", "add", "layla", "--password-stdin"], "short\n", "at least 8 characters"),
    (["user", "add", "two words", "--password-stdin"], "a long password\n", "user name"),
    (["user", "add", "layla"], "a long password\n", "use --password-stdin"),
    (["user", "token", "ghost"], "", "no user 'ghost'"),
    (["user", "disable", "ghost"], "", "no user 'ghost'"),
])
def test_cli_users_errors_one_line(db: str, argv: list[str], stdin: str, message: str,
                                   monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture) -> None:
    _stdin(monkeypatch, "a long password\n")
    assert main(["user", "add", "someone", "--password-stdin", "--db", db]) == 0
    capsys.readouterr()
    _stdin(monkeypatch, stdin)
    assert main([*argv, "--db", db]) == 2
    err = capsys.readouterr().err
    assert err.startswith("ahdath: [E500]") and message in err and len(err.splitlines()) == 1
    assert "Traceback" not in err


def test_cli_users_list_of_a_missing_store_is_refused(tmp_path: Path, capsys: pytest.CaptureFixture) -> None:
    missing = tmp_path / "nothing.sqlite"
    assert main(["user", "list", "--db", str(missing)]) != 0
    err = capsys.readouterr().err
    assert "[E606]" in err and "Traceback" not in err
    assert not missing.exists()


def test_cli_users_bare_command_is_a_usage_error(capsys: pytest.CaptureFixture) -> None:
    with pytest.raises(SystemExit) as info:
        main(["user"])
    assert info.value.code == 2
    assert "ACTION" in capsys.readouterr().err
