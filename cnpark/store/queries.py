"""The SQL the store runs, written from the datasets' declarations: latest upload wins per key. Identifiers are
quoted, values are bound as parameters ($files, $eq0 …); nothing here runs a query (snapshots.py does)."""

from __future__ import annotations

from cnpark.store.datasets import Dataset, get


def quote(name: str) -> str:
    """An identifier as DuckDB reads it, whatever it holds."""
    return '"' + name.replace('"', '""') + '"'


def latest_sql(ds: Dataset, columns: tuple[str, ...] | None = None, equal: tuple[str, ...] = (),
               over_compacted: bool = False, ordered: bool = True) -> str:
    """Latest upload wins per key among the files $files (or: the compacted rows $base, one per key, and the later
    uploads $loose). `equal` columns are compared with bound values $eq0, $eq1 … (a missing text counts as '');
    filtering on a key column commutes with latest-wins."""
    if not set(equal) <= set(ds.keys) or (columns is not None and not set(ds.keys) <= set(columns)):
        raise ValueError(f"{ds.name}: filter only on key columns and keep them all (key {ds.keys})")
    cols = "*" if columns is None else ", ".join(quote(c) for c in columns)
    where = " AND ".join(f"coalesce({quote(c)}, '') = $eq{i}" for i, c in enumerate(equal))
    where = f" WHERE {where}" if where else ""
    window = f"QUALIFY row_number() OVER (PARTITION BY {', '.join(quote(k) for k in ds.keys)} ORDER BY seq DESC) = 1"
    order = f"\nORDER BY {', '.join(quote(c) for c in ds.order)}" if ordered else ""
    if not over_compacted:
        return f"SELECT {cols} FROM read_parquet($files, union_by_name = true){where}\n{window}{order}"
    # The compacted rows not restated since stream through an anti-join, only the later uploads go through the window
    # (less time and memory on a large ledger: docs/PERFORMANCE.md). IS NOT DISTINCT FROM: NULL
    # keys match as in PARTITION BY; written per column, as a row comparison is not planned as a hash anti-join.
    same = " AND ".join(f"loose.{quote(k)} IS NOT DISTINCT FROM c.{quote(k)}" for k in ds.keys)
    return (f"WITH loose AS (SELECT {cols} FROM read_parquet($loose, union_by_name = true){where}\n  {window})\n"
            f"SELECT {cols} FROM read_parquet($base, union_by_name = true) AS c{where}"
            f"{' AND' if where else ' WHERE'} NOT EXISTS (SELECT 1 FROM loose WHERE {same})\n"
            f"UNION ALL BY NAME SELECT * FROM loose{order}")



def first_sql(ds: Dataset) -> str:
    """Each key's first upload among the files $files (its lowest seq): when a report first came in."""
    keys = ", ".join(quote(k) for k in ds.keys)
    return f"SELECT {keys}, min(seq) AS seq FROM read_parquet($files, union_by_name = true) GROUP BY {keys}"


class _Written(dict):
    """SQL written once per key, by `write`, from the datasets' declarations; never from a value (values are bound)."""

    def __init__(self, write):
        super().__init__()
        self._write = write

    def __missing__(self, key) -> str:
        sql = self[key] = self._write(key)
        return sql


# latest-wins reads by shape: (dataset, columns, equal columns, over a compacted file, ordered)
QUERIES = _Written(lambda shape: latest_sql(get(shape[0]), *shape[1:]))
FIRST = _Written(lambda dataset: first_sql(get(dataset)))      # each key's first upload, by dataset

# Every period of a key survives latest-wins (the period is part of every key), so no window is needed.
READ_PERIODS = "SELECT DISTINCT period FROM read_parquet($files, union_by_name = true) ORDER BY period DESC"
READ_SNAPSHOT = "SELECT * FROM read_parquet($file) ORDER BY source_row"
