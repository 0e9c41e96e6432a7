"""``ahdath user``: the accounts that may review in the browser (``ahdath serve``) and their API tokens."""
from __future__ import annotations

import argparse
import getpass
import sys
from datetime import datetime, timezone

from ahdath.cli.common import add_lock_timeout_option, open_store
from ahdath.errors import UsageError


def _db(p: argparse.ArgumentParser) -> None:
    # not ``add_db_option``: its --user (who is acting) would read as the account being managed
    p.add_argument("--db", default=None, metavar="URL",
                   help="database: a SQLAlchemy URL (sqlite:///FILE, postgresql://...) or a file path "
                        "(default: $AHDATH_DB, else a SQLite file in your data folder)")
    add_lock_timeout_option(p)


def register(subparsers: argparse._SubParsersAction) -> None:
    u = subparsers.add_parser("user", help="accounts for reviewing in the browser, and API tokens for scripts")
    sub = u.add_subparsers(dest="user_command", metavar="ACTION", parser_class=type(u))
    sub.required = True  # a bare `ahdath user` is a usage error naming the actions

    a = sub.add_parser("add", help="add an account (the password is asked for, or read from stdin)")
    a.add_argument("name", metavar="NAME")
    a.add_argument("--role", choices=("coder", "admin"), default="coder",
                   help="coder: reviews and edits events; admin: also manages the store (default coder)")
    a.add_argument("--password-stdin", action="store_true",
                   help="read the password from the first line of stdin instead of asking")
    _db(a)
    a.set_defaults(run=run_add)

    pw = sub.add_parser("password", help="set a new password for an account")
    pw.add_argument("name", metavar="NAME")
    pw.add_argument("--password-stdin", action="store_true", help="read the password from the first line of stdin")
    _db(pw)
    pw.set_defaults(run=run_password)

    t = sub.add_parser("token", help="make an API token for scripts (printed once; only its hash is kept)")
    t.add_argument("name", metavar="NAME")
    t.add_argument("--label", default=None, help="what the token is for, to tell tokens apart")
    _db(t)
    t.set_defaults(run=run_token)

    ls = sub.add_parser("list", help="list the accounts")
    _db(ls)
    ls.set_defaults(run=run_list)

    d = sub.add_parser("disable", help="stop an account from logging in; its tokens stop working too")
    d.add_argument("name", metavar="NAME")
    _db(d)
    d.set_defaults(run=run_disable)


def _password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        line = sys.stdin.readline()
        password = line[:-1] if line.endswith("\n") else line
        password = password[:-1] if password.endswith("\r") else password
        if not password:
            raise UsageError("no password on stdin")
        return password
    if not sys.stdin.isatty():
        raise UsageError("no terminal to ask for a password: use --password-stdin")
    first = getpass.getpass(f"password for {args.name}: ")
    if getpass.getpass("again: ") != first:
        raise UsageError("the two passwords differ")
    return first


def run_add(args: argparse.Namespace) -> int:
    from ahdath.store.users import add_user

    password = _password(args)
    with open_store(args, access="create") as store:
        user = add_user(store, args.name, args.role, password)
    print(f"ahdath: user {user.name} added ({user.role})", file=sys.stderr)
    return 0


def run_password(args: argparse.Namespace) -> int:
    from ahdath.store.users import set_password

    password = _password(args)
    with open_store(args, access="write") as store:
        set_password(store, args.name, password)
    print(f"ahdath: password of {args.name} changed", file=sys.stderr)
    return 0


def run_token(args: argparse.Namespace) -> int:
    from ahdath.store.users import create_token

    with open_store(args, access="write") as store:
        token = create_token(store, args.name, args.label)
    print(f"ahdath: token for {args.name} made; it is shown only now: send it as "
          "'Authorization: Bearer TOKEN'", file=sys.stderr)
    print(token)
    return 0


def run_list(args: argparse.Namespace) -> int:
    from ahdath.store.users import list_users

    with open_store(args, access="read") as store:
        rows = list_users(store.engine)
    for u in rows:
        made = datetime.fromtimestamp(u.created_at, tz=timezone.utc).strftime("%Y-%m-%d")
        print(f"{u.name}\t{u.role}\t{'disabled' if u.disabled else 'active'}\t{u.tokens} token(s)\tsince {made}")
    if not rows:
        print("ahdath: no users yet: `ahdath user add NAME --role coder|admin`", file=sys.stderr)
    return 0


def run_disable(args: argparse.Namespace) -> int:
    from ahdath.store.users import disable_user

    with open_store(args, access="write") as store:
        disable_user(store, args.name)
    print(f"ahdath: user {args.name} disabled", file=sys.stderr)
    return 0
