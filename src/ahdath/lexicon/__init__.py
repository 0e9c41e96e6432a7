"""Lexicons: validated data files (with provenance) compiled once into matchers."""
from ahdath.lexicon.loader import Lexicon, LexiconSet, load_lexicons, check_lexicons
from ahdath.lexicon.matcher import Match, PhraseMatcher, PhraseScan

__all__ = ["Lexicon", "LexiconSet", "load_lexicons", "check_lexicons", "Match", "PhraseMatcher", "PhraseScan"]
