"""ahdath: Arabic conflict news reports to ACLED-style event data.

    >>> import ahdath
    >>> events = ahdath.extract(text, published="2016-05-14")

``Pipeline`` loads lexicons and the gazetteer once; reuse it for many reports.
"""
from __future__ import annotations

import logging
from datetime import date
from typing import TYPE_CHECKING

# The subpackage ``ahdath.extract`` is imported before the function ``extract`` below is
# defined: importing a package's submodule binds it on the parent only on first load, so
# loading it here first keeps ``ahdath.extract`` the function for good.
import ahdath.extract  # noqa: E402, F401  (see above)
from ahdath.model import Article, Event

if TYPE_CHECKING:
    from ahdath.pipeline import Options, Pipeline

__version__ = "0.1.0"
__all__ = ["extract", "Pipeline", "Options", "Article", "Event", "__version__"]

logging.getLogger(__name__).addHandler(logging.NullHandler())


def __getattr__(name: str):  # keep ``import ahdath`` cheap: the pipeline loads on first use
    if name in ("Pipeline", "Options"):
        from ahdath import pipeline

        return getattr(pipeline, name)
    raise AttributeError(name)


def extract(text: str, *, published: date | str | None = None, url: str | None = None,
            article_id: str = "text") -> list[Event]:
    """Events reported in one Arabic ``text`` (a default ``Pipeline`` is built per call)."""
    from ahdath.pipeline import Options, Pipeline

    return Pipeline.from_options(Options()).extract_text(text, published=published, url=url, article_id=article_id)
