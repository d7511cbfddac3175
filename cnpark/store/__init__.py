"""The store: each dataset declared once (datasets), immutable Parquet snapshots read through DuckDB (snapshots: the
one module that runs SQL, queries: the SQL written from the declarations), the manifest of every upload (manifest),
compaction of a long history (compaction), backup and restore (backup)."""
