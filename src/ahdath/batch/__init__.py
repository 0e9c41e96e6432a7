"""``ahdath batch``: extraction of large archives on Dask (a laptop's ``LocalCluster``, or any scheduler).

Modules: ``inputs`` (files, folders, globs, fsspec URLs), ``plan`` (input partitions and their ids),
``worker`` (the pipeline loaded once per worker process, and one partition's work), ``write``
(Parquet events by country and month, written by atomic renames), ``manifest`` (what is done,
for resuming), ``dedup`` (cross-report deduplication as a shuffle on blocking keys) and ``run``
(the driver). See docs/architecture.md and docs/scaling.md.
"""
