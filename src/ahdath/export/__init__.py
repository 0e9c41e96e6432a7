"""Writing events: a table for people; jsonl, ACLED CSV and GeoJSON for programs."""
from ahdath.export.writers import ACLED_COLUMNS, FORMATS, acled_row, geojson_feature, write_events

__all__ = ["write_events", "ACLED_COLUMNS", "FORMATS", "acled_row", "geojson_feature"]
