"""The ``ahdath`` command line."""
