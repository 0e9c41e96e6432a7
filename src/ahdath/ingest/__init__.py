"""Reading reports: files, folders, jsonl, HTML pages and stdin, decoded and cleaned into ``Article``s."""
from ahdath.ingest.clean import Boilerplate, clean_text, packaged_boilerplate
from ahdath.ingest.decode import decode_bytes
from ahdath.ingest.html import html_to_text
from ahdath.ingest.readers import (INPUT_FORMATS, MAX_BYTES, REPORT_EXT, InputFailure, read_inputs, read_text,
                                   sniff_format)

__all__ = ["InputFailure", "read_inputs", "read_text", "decode_bytes", "html_to_text", "clean_text",
           "Boilerplate", "packaged_boilerplate", "MAX_BYTES", "REPORT_EXT", "INPUT_FORMATS", "sniff_format"]
