"""``ahdath serve`` as a user runs it: a subprocess that prints its address and answers there."""
from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import time
from pathlib import Path

import httpx
import pytest

from ahdath.cli.main import main

STRIKES = Path(__file__).resolve().parents[1] / "store" / "data" / "strikes.jsonl"
SRC = Path(__file__).resolve().parents[2] / "src"


def _env(tmp: Path) -> dict[str, str]:
    env = {**os.environ, "XDG_DATA_HOME": str(tmp / "xdg"), "PYTHONPATH": str(SRC)}
    env.pop("AHDATH_DB", None)
    return env


def test_web_serve_prints_the_address_and_serves(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path}/s.sqlite"
    assert main(["ingest", "-q", str(STRIKES), "--db", db]) == 0
    proc = subprocess.Popen([sys.executable, "-m", "ahdath", "serve", "--db", db, "--port", "0", "--login-to-read"],
                            stderr=subprocess.PIPE, text=True, env=_env(tmp_path))
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        m = re.search(r"at (http://127\.0\.0\.1:\d+/) \(reading needs a login", line)
        assert m, line
        deadline = time.monotonic() + 30
        while True:
            try:
                r = httpx.get(m.group(1) + "api/me", timeout=5)
                break
            except httpx.TransportError:
                assert time.monotonic() < deadline
                time.sleep(0.1)
        assert r.status_code == 200 and r.json()["public_read"] is False
        assert httpx.get(m.group(1) + "api/events/SYR1", timeout=5).status_code == 401
        assert "server" not in r.headers
        # a kept-alive connection answers at once (without TCP_NODELAY each answer waited ~40 ms for
        # the client's delayed ACK)
        with httpx.Client(base_url=m.group(1)) as c:
            c.get("api/me")
            took = []
            for _ in range(7):
                t = time.perf_counter()
                c.get("api/me")
                took.append(time.perf_counter() - t)
        assert sorted(took)[3] < 0.035, took
    finally:
        proc.send_signal(signal.SIGINT)
        assert proc.wait(timeout=30) == 0


@pytest.mark.parametrize("argv, code", [
    (["serve", "--db", "sqlite:///{tmp}/missing.sqlite"], "[E606]"),
    (["serve", "--db", "sqlite:///{tmp}/s.sqlite", "--tile-url", "javascript:alert(1)"], "[E500]"),
])
def test_web_serve_bad_setup_is_one_line(tmp_path: Path, argv: list[str], code: str) -> None:
    assert main(["ingest", "-q", str(STRIKES), "--db", f"sqlite:///{tmp_path}/s.sqlite"]) == 0
    out = subprocess.run([sys.executable, "-m", "ahdath", *[a.format(tmp=tmp_path) for a in argv]],
                         capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert out.returncode != 0
    [line] = out.stderr.strip().splitlines()
    assert line.startswith("ahdath: ") and code in line and "Traceback" not in out.stderr
    assert not (tmp_path / "missing.sqlite").exists()


def test_web_serve_port_in_use_is_one_line(tmp_path: Path) -> None:
    import socket

    db = f"sqlite:///{tmp_path}/s.sqlite"
    assert main(["ingest", "-q", str(STRIKES), "--db", db]) == 0
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        out = subprocess.run([sys.executable, "-m", "ahdath", "serve", "--db", db, "--port", str(port)],
                             capture_output=True, text=True, env=_env(tmp_path), timeout=120)
    assert out.returncode == 2
    [line] = out.stderr.strip().splitlines()
    assert "[E500] cannot listen on 127.0.0.1:" in line


def test_web_serve_listening_socket_has_nodelay() -> None:
    import socket

    from ahdath.cli.serve import _listen

    sock = _listen("127.0.0.1", 0)
    try:
        assert sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0
    finally:
        sock.close()
