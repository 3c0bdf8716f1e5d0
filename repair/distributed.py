"""Running ungarble on an existing distributed engine: Dask here, and the same function on Spark or Ray.

The unit of work is :func:`repair_partition`: a plain, picklable, module-level
function from an iterable of records (raw JSON Lines strings/bytes or dicts) to a
list of output records, exactly the records ``ungarble batch`` writes (the input
fields plus an ``ungarble`` object with findings, score and repaired text, or an
``error``). The checks, and with them Harper's dictionary (about a second to
build), are created once per worker process and reused by every later partition
(:func:`repair.api.checks_for` caches them per process); :class:`WarmUp` builds
them when a Dask worker starts, before the first task.

Dask (``pip install "dask[bag]" distributed``)::

    from dask.distributed import Client
    from repair.distributed import BatchConfig, read_jsonl, repair_bag, register, write_jsonl

    client = Client("tcp://scheduler:8786")           # or LocalCluster(n_workers=8, threads_per_worker=1)
    config = BatchConfig(text_field="mt")
    register(client, config)                          # optional: warm the grammar back end on each worker
    results = repair_bag(read_jsonl("s3://bucket/corpus/*.jsonl"), config)
    write_jsonl(results, "s3://bucket/out/*.jsonl")   # one output file per partition

Use one thread per worker process (``threads_per_worker=1``) for the best
throughput: the Harper linter is not thread-safe, so the checks serialise calls
on it within a process.

Spark (PySpark), same function, one call per partition::

    from functools import partial
    lines = spark.sparkContext.textFile("hdfs:///corpus/*.jsonl")
    out = lines.mapPartitions(partial(repair_partition, config=config)).map(json.dumps)
    out.saveAsTextFile("hdfs:///out")

Ray Data, on column batches (``batch_format="pandas"`` or ``"numpy"``)::

    ds = ray.data.read_json("s3://bucket/corpus/")
    out = ds.map_batches(partial(repair_columns, config=config), batch_format="numpy")
    out.write_json("s3://bucket/out/")

A pandas DataFrame partition (``dask.dataframe`` over Parquet:
``ddf.map_partitions(lambda df: pd.DataFrame(repair_columns(df.to_dict("list"), config)))``)
goes through :func:`repair_columns` too.

Fault tolerance and restarts are the engine's business here (task retries,
lineage); the resumable append-only output is ``ungarble batch``'s.
"""
from __future__ import annotations

import functools
import json
from typing import Any, Iterable, Mapping, Sequence

from .batch import (BatchConfig, RecordTimeout, _error_text, process_record, time_limit, timeout_message,
                    too_large, warm_up)

__all__ = ["BatchConfig", "repair_partition", "repair_columns", "read_jsonl", "repair_bag", "write_jsonl",
           "repair_jsonl", "WarmUp", "register"]


def repair_partition(records: Iterable[Any], config: BatchConfig | None = None) -> list[dict[str, Any]]:
    """Repair every record of one partition.

    A record is a dict, or one JSON Lines line (str or bytes; blank lines are
    skipped). A record that is not JSON, lacks the text field, is larger than
    ``config.max_record_bytes`` (the line, or a dict's text, in UTF-8 bytes), takes
    longer than ``config.record_timeout`` seconds, or fails in any other way becomes
    ``{"ungarble": {"error": ...}}``, as in ``ungarble batch``; the partition goes on.
    """
    config = config or BatchConfig()
    out: list[dict[str, Any]] = []
    for record in records:
        if isinstance(record, (str, bytes, bytearray)) and not record.strip():
            continue
        out.append(_repair_one(record, config))
    return out


def _utf8_size(value: Any, limit: int) -> int:
    if isinstance(value, (bytes, bytearray)):
        return len(value)
    if not isinstance(value, str) or len(value) * 4 <= limit:
        return len(value) if isinstance(value, str) else 0
    return len(value.encode("utf-8", "surrogatepass"))


def _repair_one(record: Any, config: BatchConfig) -> dict[str, Any]:
    key = config.result_key
    limit = config.max_record_bytes
    if limit:
        sized = record.get(config.text_field) if isinstance(record, dict) else record
        big = too_large(_utf8_size(sized, limit), limit)
        if big:
            return {key: {"error": big}}
    try:
        with time_limit(config.record_timeout):
            if isinstance(record, (str, bytes, bytearray)):
                try:
                    record = json.loads(record)
                except ValueError as exc:  # JSONDecodeError, UnicodeDecodeError
                    return {key: {"error": f"not valid JSON: {exc}"}}
            return process_record(record, config)
    except RecordTimeout:
        return {key: {"error": timeout_message(config.record_timeout)}}
    except Exception as exc:  # RecursionError, MemoryError, a bug: this record's error, not the partition's
        return {key: {"error": _error_text(exc)}}


def repair_columns(batch: Mapping[str, Sequence[Any]], config: BatchConfig | None = None) -> dict[str, list[Any]]:
    """Column batches (Ray's ``map_batches``, a pandas partition as ``df.to_dict("list")``).

    Returns the input columns plus ``ungarble_score``, ``ungarble_changed``,
    ``ungarble_fixed``, ``ungarble_findings`` (the findings as a JSON string, so the
    column stays flat) and ``ungarble_error``.
    """
    config = config or BatchConfig()
    columns = {name: list(values) for name, values in batch.items()}
    rows = len(next(iter(columns.values()), []))
    records = [{name: _plain(values[i]) for name, values in columns.items()} for i in range(rows)]
    results = repair_partition(records, config)
    key = config.result_key
    extra: dict[str, list[Any]] = {f"{key}_{name}": [] for name in ("score", "changed", "fixed", "findings", "error")}
    for result in results:
        info = result[key]
        extra[f"{key}_score"].append(info.get("score"))
        extra[f"{key}_changed"].append(info.get("changed"))
        extra[f"{key}_fixed"].append(info.get("fixed"))
        findings = info.get("findings")
        extra[f"{key}_findings"].append(None if findings is None else json.dumps(findings, ensure_ascii=False))
        extra[f"{key}_error"].append(info.get("error"))
    columns.update(extra)
    return columns


def _plain(value: Any) -> Any:
    """numpy scalars and strings (Ray's numpy batches) as plain Python values."""
    item = getattr(value, "item", None)
    if callable(item) and not isinstance(value, (str, bytes)):
        try:
            return item()
        except (TypeError, ValueError):
            return value
    return value


# ---------------------------------------------------------------- Dask

def read_jsonl(paths: str | Sequence[str], blocksize: str | int | None = "64MiB", **kwargs: Any):
    """A ``dask.bag`` of the raw lines of JSON Lines files (local, or any fsspec URL)."""
    import dask.bag as db

    return db.read_text(paths, blocksize=blocksize, **kwargs)


def repair_bag(bag, config: BatchConfig | None = None):
    """``bag`` of records (raw lines or dicts) -> ``bag`` of output records, lazily."""
    return bag.map_partitions(repair_partition, config or BatchConfig())


def write_jsonl(bag, pattern: str | Sequence[str], **kwargs: Any):
    """Write output records as JSON Lines, one file per partition (``pattern`` with a ``*``)."""
    lines = bag.map(lambda record: json.dumps(record, ensure_ascii=False))
    return lines.to_textfiles(pattern, **kwargs)


def repair_jsonl(paths: str | Sequence[str], output_pattern: str, config: BatchConfig | None = None,
                 blocksize: str | int | None = "64MiB") -> list[str]:
    """Read, repair, write: the whole job in one call on the current Dask scheduler."""
    return write_jsonl(repair_bag(read_jsonl(paths, blocksize=blocksize), config), output_pattern)


def _warm_up_class() -> type:
    """The Dask worker plugin class, built on first use: importing this module must not
    import ``distributed`` (a second, and it configures logging)."""
    base: type
    try:
        from distributed import WorkerPlugin as base
    except ImportError:  # dask without distributed: the plugin is never registered
        base = object

    class WarmUp(base):
        """A Dask worker plugin that builds the checks (Harper included) when a worker starts."""

        name = "ungarble-warm-up"

        def __init__(self, config: BatchConfig | None = None) -> None:
            self.config = config or BatchConfig()

        def setup(self, worker: Any = None) -> None:
            warm_up(self.config.options)

    WarmUp.__qualname__ = "WarmUp"  # pickled by reference as repair.distributed.WarmUp
    return WarmUp


@functools.lru_cache(maxsize=None)
def _warm_up() -> type:
    return _warm_up_class()


WarmUp: type  # built by __getattr__ below on first use


def __getattr__(name: str) -> Any:
    if name == "WarmUp":  # :class:`WarmUp`, a ``distributed.WorkerPlugin``
        return _warm_up()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def register(client: Any, config: BatchConfig | None = None) -> None:
    """Warm every current and future worker of ``client`` (optional: the first task would anyway)."""
    plugin = _warm_up()(config)
    if hasattr(client, "register_plugin"):
        client.register_plugin(plugin)
    else:  # distributed < 2023.9
        client.register_worker_plugin(plugin)
