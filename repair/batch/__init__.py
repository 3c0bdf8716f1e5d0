"""Batch mode: many documents in, one JSON line per document out, on every core, resumable.

Input is JSON Lines (one object a line; the text in a named field, default ``text``;
every other field, such as an id, is carried through) or a directory of text files.
Each output line is the input record with one more key, ``ungarble`` (or the
``result_key`` the user chose; an input field of that name is never replaced)::

    {"id": "a1", "text": "...", "ungarble": {"line": 1, "crc32": 2774328, "score": 12.5,
     "changed": true, "fixed": "...", "findings": [{...same shape as check --format json...}]}}

A bad record (a line that is not JSON, not an object, without the text field, larger
than ``max_record_bytes``, taking longer than ``record_timeout`` seconds, or anything
else that goes wrong while handling it) gets ``{"ungarble": {"line": N, "error": "..."}}``
(with the record's other fields when it has them) and the run carries on. Directory
inputs give ``{"path": ..., "text": ..., "ungarble": {"path": ..., "encoding": ..., ...}}``.

Streaming and bounded: records are read lazily (a line over the size limit is never
held whole), grouped in chunks, and at most a few chunks per worker are in flight;
nothing holds the whole corpus. The grammar back end is built once per worker
process (``repair.api.checks_for`` caches it).

Output is written in input order, one ``write`` per chunk, always as whole lines: it
holds exactly one line per input record, in input order. Running the same command
again resumes: it drops a torn last line (a kill mid-write), reads which records the
output already holds (``line`` for JSON Lines, checked against the input line's CRC-32
so a different input is refused; ``path`` for directories) and processes only the
others. When the output holds error lines, those records are retried and the output
is rewritten (into a temporary file next to it, renamed over it once every old line
has been copied or replaced), so a record's new result replaces its error line.

Ctrl-C (SIGINT) stops the run within moments: workers are terminated, every finished
record is written in order, and :class:`Interrupted` says how many the output holds.

The package: :mod:`repair.batch.records` (configuration, limits, one record),
:mod:`repair.batch.resume` (reading the input, the output a run resumes) and
:mod:`repair.batch.pool` (workers and the run); every name is importable from here.
"""
from __future__ import annotations

from .records import (  # noqa: F401
    BatchConfig, BatchError, BatchStats, Interrupted, Item, KEY, MAX_RECORD_BYTES, RECORD_TIMEOUT, RecordTimeout, _ThreadLimit, _error_text, _json_type, analysis, dumps, garble_score, line_crc, process_file, process_line, process_record, score_hook, time_limit, timeout_message, too_large,
)
from .resume import (  # noqa: F401
    Done, Output, PREFLIGHT_RECORDS, _Guard, _entries, _info, _item_bytes, _last_newline, chunks, count_lines, file_items, is_jsonl, line_items, preflight, read_lines, remove_stale_temporaries, scan_output,
)
from .pool import (  # noqa: F401
    InlineRunner, PoolRunner, _Finished, _WORKER_CONFIG, _exit_with_parent, _init_worker, default_jobs, process_chunk, process_item, run_batch, warm_up,
)
