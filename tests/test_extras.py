"""Optional dependencies: what `pip install ahdath` pulls, and the error naming the extra a feature needs."""
from __future__ import annotations

import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from ahdath.cli.main import main
from ahdath.errors import MissingExtraError
from ahdath.extras import EXTRAS, has_extra, require_extra

PYPROJECT = tomllib.loads((Path(__file__).resolve().parents[1] / "pyproject.toml").read_text(encoding="utf-8"))
PAGE = ("<html><head><title>قصف على بنش</title></head><body><nav>الرئيسية</nav><article><p>"
        + "قصفت قوات النظام بلدة بنش في ريف إدلب الشرقي صباح اليوم، ما أدى إلى مقتل مدنيين اثنين. " * 4
        + "</p></article></body></html>")


def _names(requirements: list[str]) -> set[str]:
    return {r.split("[")[0].split(">")[0].split("=")[0].split("<")[0].strip().lower() for r in requirements}


def test_extras_core_install_pulls_no_database_driver_parquet_or_trafilatura() -> None:
    core = _names(PYPROJECT["project"]["dependencies"])
    assert not core & {"psycopg", "pyarrow", "trafilatura", "lxml", "zstandard", "fastapi", "uvicorn", "argon2-cffi"}
    extras = PYPROJECT["project"]["optional-dependencies"]
    assert _names(extras["postgres"]) == {"psycopg"} and _names(extras["parquet"]) == {"pyarrow"}
    assert "trafilatura" in _names(extras["html"])
    assert extras["all"] == ["ahdath[postgres,parquet,html,zstd,web,batch]"]
    assert {"fastapi", "uvicorn", "argon2-cffi", "python-multipart", "plotly"} <= _names(extras["web"])
    assert {"dask", "fsspec", "pyarrow"} <= _names(extras["batch"])
    assert "ahdath[all]" in extras["test"]  # the README's test command runs the PostgreSQL and Parquet tests


def test_extras_build_backend_reads_the_licence_expression() -> None:
    assert PYPROJECT["project"]["license"] == "Apache-2.0"  # PEP 639: a string needs setuptools >= 77
    [backend] = [r for r in PYPROJECT["build-system"]["requires"] if r.startswith("setuptools")]
    assert backend == "setuptools>=77"


def test_extras_extraction_imports_none_of_them() -> None:
    code = ("import sys, ahdath; ahdath.extract('قصفت قوات النظام بلدة بنش في ريف إدلب أمس.'); "
            "print(sorted(m for m in ('psycopg', 'pyarrow', 'trafilatura', 'lxml') if m in sys.modules))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


@pytest.mark.parametrize("extra", sorted(EXTRAS))
def test_extras_missing_module_is_e510_naming_the_extra(monkeypatch: pytest.MonkeyPatch, extra: str) -> None:
    module, _ = EXTRAS[extra]
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    assert not has_extra(extra)
    with pytest.raises(MissingExtraError) as info:
        require_extra(extra)
    assert info.value.code == "E510" and f"pip install 'ahdath[{extra}]'" in str(info.value)


@pytest.mark.parametrize("argv, extra", [
    (["export", "-o", "events.parquet"], "parquet"),
    (["events", "--db", "postgresql://ahdath@db.invalid/events"], "postgres"),
    (["ingest", "x.txt", "--db", "postgres://ahdath@db.invalid/events"], "postgres"),
])
def test_extras_cli_feature_without_its_extra_is_one_line_exit_2(monkeypatch: pytest.MonkeyPatch, tmp_path: Path,
                                                               capsys: pytest.CaptureFixture, argv: list[str],
                                                               extra: str) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("AHDATH_DB", f"sqlite:///{tmp_path}/e.sqlite")
    monkeypatch.setitem(sys.modules, EXTRAS[extra][0], None)
    assert main(argv) == 2
    err = capsys.readouterr().err
    [line] = err.strip().splitlines()
    assert "[E510]" in line and f"pip install 'ahdath[{extra}]'" in line and "Traceback" not in err


def test_extras_html_without_trafilatura_falls_back_to_the_own_reader(monkeypatch: pytest.MonkeyPatch) -> None:
    from ahdath.ingest import html

    monkeypatch.setitem(sys.modules, "trafilatura", None)
    html._trafilatura.cache_clear()
    try:
        assert not html.trafilatura_available()
        text, meta = html.html_to_text(PAGE)
    finally:
        html._trafilatura.cache_clear()
    assert "بنش" in text and "الرئيسية" not in text and meta["title"] == "قصف على بنش"
