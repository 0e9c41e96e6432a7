"""Optional features and the pip extras that install them.

``pip install ahdath`` brings what extraction and the SQLite store need. PostgreSQL
(``ahdath[postgres]``: psycopg), Parquet export (``ahdath[parquet]``: pyarrow) and
trafilatura's HTML main text (``ahdath[html]``) are extras; ``ahdath[all]`` is those
three. Reading zstd-compressed input needs ``ahdath[zstd]`` (zstandard); gzip, bzip2 and xz
need nothing more. A feature whose extra is missing fails with ``MissingExtraError`` (E510)
naming the extra, never with an ImportError traceback.
"""
from __future__ import annotations

from importlib.util import find_spec

from ahdath.errors import MissingExtraError

# extra -> (the module it provides, what needs it)
EXTRAS: dict[str, tuple[str, str]] = {
    "postgres": ("psycopg", "a PostgreSQL database"),
    "parquet": ("pyarrow", "Parquet export"),
    "html": ("trafilatura", "trafilatura's HTML main text"),
    "zstd": ("zstandard", "zstd-compressed input"),
    "web": ("fastapi", "the web app (ahdath serve)"),
    "batch": ("distributed", "ahdath batch (Dask)"),
}


def has_extra(extra: str) -> bool:
    """True when the module ``extra`` installs can be imported."""
    module, _ = EXTRAS[extra]
    try:
        return find_spec(module) is not None
    except (ImportError, ValueError):
        return False


def require_extra(extra: str, *, source: str | None = None) -> None:
    """Raise ``MissingExtraError`` (E510) naming ``pip install 'ahdath[EXTRA]'`` unless it is installed."""
    if not has_extra(extra):
        module, feature = EXTRAS[extra]
        raise MissingExtraError(f"{feature} needs {module}, which is not installed: pip install 'ahdath[{extra}]'",
                                source=source)
