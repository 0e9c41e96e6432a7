"""Writing events: a table for people; jsonl, ACLED CSV and GeoJSON for programs."""
from ahdath.export.dataset import DATASET_FORMATS, acled_dataset_row, write_dataset_text, write_parquet
from ahdath.export.writers import (ACLED_COLUMNS, FORMATS, acled_row, cell, csv_cell, csv_line, geojson_feature,
                                   write_events)

__all__ = ["write_events", "ACLED_COLUMNS", "FORMATS", "acled_row", "geojson_feature", "cell", "csv_cell",
           "csv_line", "DATASET_FORMATS", "acled_dataset_row", "write_dataset_text", "write_parquet"]
