"""``ahdath serve``: the review app in the browser, and its JSON API, over one store."""
from __future__ import annotations

import argparse
import socket
import sys

from ahdath.cli.common import add_lock_timeout_option, parse_seconds


def register(subparsers: argparse._SubParsersAction) -> None:
    from ahdath.web.settings import OSM_TILES

    p = subparsers.add_parser("serve", help="review the store in the browser (map, queue, evidence, JSON API)",
                              description="Serve the review app over a store built by `ahdath ingest`. Reading "
                                          "is public unless --login-to-read; editing needs a user "
                                          "(`ahdath user add`) or an API token. The API reference is at /docs.")
    p.add_argument("--db", default=None, metavar="URL",
                   help="database: a SQLAlchemy URL or a file path (default: $AHDATH_DB, else the SQLite file "
                        "in your data folder); never created by serving")
    p.add_argument("--host", default="127.0.0.1",
                   help="address to listen on (default 127.0.0.1: this machine only; 0.0.0.0 for a team)")
    p.add_argument("--port", type=_port, default=8000, help="port (default 8000; 0 picks a free one)")
    read = p.add_mutually_exclusive_group()
    read.add_argument("--public-read", dest="public_read", action="store_true", default=True,
                      help="anyone who can reach the server may read (default)")
    read.add_argument("--login-to-read", dest="public_read", action="store_false",
                      help="reading needs a login or a token too")
    p.add_argument("--tile-url", default=OSM_TILES, metavar="TEMPLATE",
                   help="map tiles, {z}/{x}/{y} (default OpenStreetMap); '' for none: the map shows the shipped "
                        "country and governorate outlines only")
    p.add_argument("--session-hours", type=parse_seconds, default=8.0, metavar="HOURS",
                   help="how long a login lasts (default 8)")
    p.add_argument("--gazetteer-dir", default=None, metavar="DIR",
                   help="the user gazetteer places added in the browser go to (default: your data folder's)")
    add_lock_timeout_option(p)
    p.set_defaults(run=run)


def _port(value: str) -> int:
    if not value.isdigit() or int(value) > 65535:
        raise argparse.ArgumentTypeError(f"not a port number 0-65535: {value!r}")
    return int(value)


def run(args: argparse.Namespace) -> int:
    from pathlib import Path

    from ahdath.extras import require_extra

    require_extra("web")
    import uvicorn

    from ahdath.store import resolve_url
    from ahdath.web.app import create_app
    from ahdath.web.settings import WebSettings

    settings = WebSettings(db_url=args.db, public_read=args.public_read, tile_url=args.tile_url,
                           session_ttl=args.session_hours * 3600.0,
                           gazetteer_dir=Path(args.gazetteer_dir) if args.gazetteer_dir else None,
                           lock_timeout=args.lock_timeout)
    app = create_app(settings)  # a missing store is E606 here, before anything listens
    sock = _listen(args.host, args.port)  # bound before the address is printed: port 0 becomes the real one
    config = uvicorn.Config(app, log_level="warning", server_header=False, proxy_headers=False, access_log=False)
    host = f"[{args.host}]" if ":" in args.host else args.host
    print(f"ahdath: serving {resolve_url(args.db).display()} at http://{host}:{sock.getsockname()[1]}/ "
          f"(reading {'is public' if args.public_read else 'needs a login'}; Ctrl-C stops)", file=sys.stderr,
          flush=True)
    try:
        uvicorn.Server(config).run(sockets=[sock])
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0


def _listen(host: str, port: int) -> socket.socket:
    from ahdath.errors import UsageError

    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        # inherited by every accepted connection: without it a response written in two pieces waits
        # for the client's delayed ACK, 40 ms a request on a kept-alive connection
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        sock.bind((host, port))
    except OSError as exc:
        raise UsageError(f"cannot listen on {host}:{port}: {exc.strerror or exc}") from None
    sock.set_inheritable(True)
    return sock
