"""The Dask integration on a real dask.distributed LocalCluster (2 worker processes)."""
import json

import pytest

pytest.importorskip("dask.bag")
distributed = pytest.importorskip("distributed")

from repair.batch import KEY, BatchConfig, process_record  # noqa: E402
from repair.distributed import read_jsonl, register, repair_bag, repair_columns, repair_partition, write_jsonl  # noqa: E402
from repair.options import Options  # noqa: E402

SENTENCES = [
    "The committee have decided to postpone the the meeting until next week.",
    "Prices rose sharply after the storm damaged the harbour and its warehouses.",
    "He didnâ€™t know that the train had already left the station.",
    "This sentence are written with a agreement error and a speling mistake.",
    "A quiet village sits at the foot of the mountain, far from any road.",
    "The report was was published on Tuesday and discussed on Wednesday.",
]


def _records():
    rows = [{"id": i, "mt": SENTENCES[i % len(SENTENCES)] + f" Paragraph {i}."} for i in range(24)]
    rows.insert(9, "{not json at all")
    rows.insert(15, {"id": "no-text", "src": "missing the mt field"})
    return rows


def _expected(config):
    out = []
    for row in _records():
        if isinstance(row, str):
            out.append({KEY: {"error": "bad"}})
        else:
            out.append(process_record(row, config))
    return out


@pytest.mark.slow
def test_dask_bag_on_a_local_cluster_matches_one_process(tmp_path):
    src = tmp_path / "in.jsonl"
    with open(src, "w", encoding="utf-8") as fh:
        for row in _records():
            fh.write((row if isinstance(row, str) else json.dumps(row, ensure_ascii=False)) + "\n")
    config = BatchConfig(Options(grammar="harper"), text_field="mt")
    expected = _expected(config)

    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                  dashboard_address=None) as cluster, distributed.Client(cluster) as client:
        register(client, config)  # Harper built once per worker, at start
        bag = repair_bag(read_jsonl(str(src), blocksize=800), config)
        assert bag.npartitions >= 2
        results = bag.compute()
        workers = client.run(lambda: __import__("os").getpid())
        assert len(set(workers.values())) == 2  # two real processes
        # each worker built its checks once and reused them for every partition
        built = client.run(lambda: __import__("repair.api", fromlist=["x"]).checks_for.cache_info().misses)
        assert set(built.values()) == {1}
        out_dir = tmp_path / "out"
        written = write_jsonl(bag, str(out_dir / "*.jsonl"))

    assert len(results) == len(expected)
    for got, want in zip(results, expected):
        if "error" in want[KEY] and want[KEY]["error"] == "bad":
            assert got[KEY]["error"].startswith("not valid JSON")
        else:
            assert got == want
    # Harper ran in the workers (its finding may be merged into a rule's: "sources" names both)
    assert any("harper" in f.get("sources", [f["source"]]) for r in results for f in r[KEY].get("findings", []))
    assert results[15][KEY]["error"] == "no field 'mt'" and results[15]["id"] == "no-text"
    assert written and sum(1 for p in written for _ in open(p, encoding="utf-8")) == len(expected)


def test_partition_and_column_functions_agree():
    config = BatchConfig(Options(grammar="none"), text_field="mt")
    rows = [{"id": 1, "mt": SENTENCES[0]}, {"id": 2, "mt": SENTENCES[2]}, {"id": 3, "mt": None}]
    lines = [json.dumps(r) for r in rows] + ["", "[]"]
    by_rows = repair_partition(rows, config)
    by_lines = repair_partition(lines, config)
    assert by_lines[:3] == by_rows and by_lines[3][KEY]["error"] == "not a JSON object but an array"
    columns = repair_columns({"id": [1, 2, 3], "mt": [SENTENCES[0], SENTENCES[2], None]}, config)
    assert columns["id"] == [1, 2, 3]
    assert columns[f"{KEY}_fixed"] == [r[KEY].get("fixed") for r in by_rows]
    assert [json.loads(f) if f else None for f in columns[f"{KEY}_findings"]] == \
        [r[KEY].get("findings") for r in by_rows]
    assert columns[f"{KEY}_error"][2] == "field 'mt' is null"
    assert "didn’t" in columns[f"{KEY}_fixed"][1]


@pytest.mark.slow
def test_the_dask_path_applies_the_same_limits_and_never_dies_on_one_record():
    import threading
    import time

    from repair.batch import records as batch_module  # where process_record looks analysis up
    from repair.batch import warm_up

    config = BatchConfig(Options(grammar="none"), text_field="mt", max_record_bytes=5_000, record_timeout=3)
    nested = '{"mt": "x", "deep": ' + "[" * 2000 + "]" * 2000 + "}"
    lines = [json.dumps({"id": 1, "mt": SENTENCES[2]}), nested, json.dumps({"id": 3, "mt": "word " * 2000}),
             {"id": 4, "mt": "é" * 3000}, {"id": 5, "mt": "SLOW " + SENTENCES[0]}, {"id": 6, "mt": SENTENCES[1]}]
    real = batch_module.analysis

    def analysis(text, options, **kw):
        if text.startswith("SLOW"):  # busy in Python code, as the checks are
            deadline = time.monotonic() + 600
            while time.monotonic() < deadline:
                pass
        return real(text, options, **kw)

    results = []
    warm_up(config.options)  # the checks are built once per process, before the clock runs
    batch_module.analysis = analysis
    try:
        # Dask runs tasks in worker threads, not the main thread: the time limit must work there too
        thread = threading.Thread(target=lambda: results.extend(repair_partition(lines, config)))
        thread.start()
        thread.join(120)
    finally:
        batch_module.analysis = real
    assert not thread.is_alive() and len(results) == 6
    errors = [r[KEY].get("error") for r in results]
    assert errors[0] is None and "didn’t" in results[0][KEY]["fixed"]
    assert "nested too deeply" in errors[1]
    assert "too large" in errors[2] and "too large" in errors[3]  # 10,000 bytes of line; 6,000 of UTF-8 text
    assert errors[4] == "took longer than 3 s (--record-timeout)"
    assert errors[5] is None and results[5]["id"] == 6
