"""Composes the stages. ``Pipeline.from_options`` does all loading; extraction is pure."""
from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from ahdath.model import Article, Event


@dataclass(frozen=True, slots=True)
class Options:
    """Settings of a run (the CLI fills them from its flags)."""

    lexicon_dirs: tuple[Path, ...] = field(default=())
    gazetteer_paths: tuple[Path, ...] = field(default=())
    default_country: str = "Syria"


class Pipeline:
    """Lexicons, matchers and the gazetteer, loaded once; ``extract_article`` per report."""

    def __init__(self, options: Options) -> None:
        self.options = options

    @classmethod
    def from_options(cls, options: Options | None = None) -> "Pipeline":
        return cls(options or Options())

    def extract_article(self, article: Article) -> list[Event]:
        return []

    def extract_text(self, text: str, *, published: date | str | None = None, url: str | None = None,
                     article_id: str = "text") -> list[Event]:
        if isinstance(published, str):
            published = date.fromisoformat(published)
        return self.extract_article(Article(article_id, text, published, url))
