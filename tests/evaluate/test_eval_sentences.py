"""Sentence-level detection scoring (the GSR rules) on a labelled file written for these tests."""
from __future__ import annotations

from pathlib import Path

import pytest

from ahdath.errors import EvaluationError
from ahdath.evaluate.sentences import read_sentences, score_detections

CSV = """id,event_type,label,accept,reject,total,text
a1,ASSAULT,yes,3,0,3,قصفت المدفعية البلدة أمس.
a2,ASSAULT,yes,3,0,3,اغتال مسلحون ضابطا في المدينة.
a3,ASSAULT,easy no,0,3,3,فاز الفريق بثلاثة أهداف.
a4,ASSAULT,easy no,0,3,3,ارتفعت أسعار الخبز.
a5,ASSAULT,difficult no,1,2,3,هدد الوزير بشن هجوم.
a6,ASSAULT,ambiguous,1,1,2,جرى حديث عن هجوم.
"""
STRIKE = {("Explosions/Remote violence", "Shelling/artillery/missile attack")}
MOB = {("Riots", "Mob violence")}


@pytest.fixture
def sentences(tmp_path: Path):
    f = tmp_path / "assault_gsr.csv"
    f.write_text(CSV, encoding="utf-8")
    return read_sentences(f)


def test_eval_sentences_ambiguous_left_out(sentences) -> None:
    assert [s.id for s in sentences] == ["a1", "a2", "a3", "a4", "a5"]


def test_eval_sentences_counts_follow_the_labels(sentences) -> None:
    # a1 found, a2 missed; a false alarm on a unanimous reject (a3) and on a difficult one (a5)
    s = score_detections("assault", sentences, [STRIKE, set(), STRIKE, set(), MOB])
    assert (s.pos, s.easy_neg, s.fp_easy, s.fp_hard) == (2, 2, 1, 1)
    assert (s.p, s.r, s.f1) == (0.5, 0.5, 0.5)


def test_eval_sentences_protest_kind_ignores_violence(sentences) -> None:
    s = score_detections("protest", sentences, [STRIKE, STRIKE, STRIKE, set(), set()])
    assert (s.p, s.r, s.fp_easy) == (0.0, 0.0, 0)


def test_eval_sentences_missing_columns_named(tmp_path: Path) -> None:
    f = tmp_path / "bad.csv"
    f.write_text("id,text\n1,نص\n", encoding="utf-8")
    with pytest.raises(EvaluationError, match="label"):
        read_sentences(f)
