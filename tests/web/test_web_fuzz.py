"""The OpenAPI schema fuzzed against a live server (schemathesis): whatever a client sends, no 5xx,
and every answer is one the schema declares. Anonymous, and with a coder's token (which makes the
review actions reachable).

CI runs a short derandomized pass on SQLite (a few examples per operation, well under a minute);
``AHDATH_FUZZ_EXAMPLES=N`` makes a long random run with N examples per operation.
"""
from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)
from webserver import Seed, Site, start_site

_LONG = os.environ.get("AHDATH_FUZZ_EXAMPLES")
CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture(scope="module")
def fuzz_site(tmp_path_factory: pytest.TempPathFactory, seed_sqlite: Seed) -> Iterator[Site]:
    tmp: Path = tmp_path_factory.mktemp("fuzz")
    mp = pytest.MonkeyPatch()
    mp.setenv("XDG_DATA_HOME", str(tmp / "xdg"))
    site = start_site(seed_sqlite.copy(tmp), tmp, tokens=seed_sqlite.tokens)
    site.url = site.server.url
    yield site
    site.server.stop()
    site.store.close()
    mp.undo()


def _fuzz(site: Site, headers: dict[str, str]) -> None:
    """Every operation of the live schema, each with its own hypothesis run; the failures of all
    operations are reported together. (Schemathesis's own pytest plugin cannot take this fixture on
    the pytest in use, so the operations are walked here.)"""
    from hypothesis import given

    api = schemathesis.openapi.from_url(f"{site.url}/openapi.json")
    failures: list[str] = []
    operations = 0
    for result in api.get_all_operations():
        operation = result.ok()
        operations += 1

        @given(case=operation.as_strategy())
        @_SETTINGS
        def run(case: schemathesis.Case) -> None:
            case.call_and_validate(base_url=site.url, headers=headers, checks=CHECKS, timeout=60)

        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - collected, reported all at once
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:1500]}")
    assert operations >= 20
    assert not failures, "\n\n".join(failures)


_SETTINGS = settings(max_examples=int(_LONG) if _LONG else 8, derandomize=not _LONG, database=None, deadline=None,
                     suppress_health_check=list(HealthCheck))


def test_web_fuzz_anonymous(fuzz_site: Site) -> None:
    _fuzz(fuzz_site, {})


def test_web_fuzz_with_a_coders_token(fuzz_site: Site) -> None:
    _fuzz(fuzz_site, {"authorization": f"Bearer {fuzz_site.tokens['coder1']}"})
