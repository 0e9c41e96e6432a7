"""The Arabic text layer: normalization with an offset map, clitic-aware tokens, sentences, numbers."""
