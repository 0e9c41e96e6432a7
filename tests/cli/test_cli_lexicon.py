"""``ahdath lexicon check``: every problem listed, then a count; OK summary otherwise."""
from __future__ import annotations

from pathlib import Path

from ahdath.cli.main import main

BROKEN = {
    "bad_kind.yaml": "lexicon: weapons\nprovenance: test\nentries: []\n",
    "not_yaml.yaml": "lexicon: cues\nentries: [unclosed\n",
    "entries.yaml": """lexicon: boilerplate
provenance: "test, 2026-11-27"
entries:
  - {id: ok_line, forms: [مقالات ذات صلة]}
  - {id: bad_match, match: sometimes, forms: [اقرأ أيضا]}
  - {id: no_forms}
  - {id: extra, forms: [شارك], colour: red}
  - {id: ok_line, forms: [مقالات ذات صلة]}
""",
}


def test_cli_lexicon_check_reports_all_problems(tmp_path: Path, capsys) -> None:
    for name, text in BROKEN.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    assert main(["lexicon", "check", "--lexicon", str(tmp_path)]) == 1
    lines = capsys.readouterr().out.splitlines()
    problems, summary = lines[:-1], lines[-1]
    assert summary == f"{len(problems)} problems"
    expected = ["bad_kind.yaml: 'lexicon' must be one of", "not_yaml.yaml: not valid YAML",
                "(bad_match): field 'match'", "(no_forms): missing required field 'forms'",
                "(extra): unknown field 'colour'", "duplicate id 'ok_line'"]
    for fragment in expected:
        assert sum(fragment in p for p in problems) == 1, fragment
    assert len(problems) == len(expected)


def test_cli_lexicon_check_missing_folder_is_a_problem(tmp_path: Path, capsys) -> None:
    assert main(["lexicon", "check", "--lexicon", str(tmp_path / "nope")]) == 1
    out = capsys.readouterr().out.splitlines()
    assert out[-1] == "1 problem" and "lexicon folder not found" in out[0]


def test_cli_lexicon_check_ok(tmp_path: Path, capsys) -> None:
    (tmp_path / "extra.yaml").write_text(
        'lexicon: boilerplate\nprovenance: "test"\nentries:\n  - {id: promo, match: contains, forms: [إعلان ممول]}\n',
        encoding="utf-8")
    assert main(["lexicon", "check", "--lexicon", str(tmp_path)]) == 0
    out = capsys.readouterr().out.strip()
    assert out.startswith("lexicons OK: ") and out.endswith(" kinds")


def test_cli_lexicon_without_subcommand_is_usage(capsys) -> None:
    assert main(["lexicon"]) == 2


def test_cli_lexicon_check_reports_bad_lemmas(tmp_path: Path, capsys) -> None:
    (tmp_path / "triggers.yaml").write_text("""lexicon: triggers
provenance: "test, 2026-12-01"
entries:
  - id: bad_lemma
    sub_event_type: Armed clash
    lemmas:
      - {root: شبك, form: 9}
      - {noun: معركة, plural: [معارك], gender: f}
""", encoding="utf-8")
    assert main(["lexicon", "check", "--lexicon", str(tmp_path)]) == 1
    problems = capsys.readouterr().out.splitlines()[:-1]
    assert any("(bad_lemma): lemma 1: 'form': 9 is not a form" in p for p in problems)
    assert any("(bad_lemma): lemma 2: unknown key 'gender'" in p for p in problems)
