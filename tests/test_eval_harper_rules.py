"""The scoring of benchmarks/eval_harper_rules.py on hand-made rows (no shared corpora)."""
from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "benchmarks"))

import eval_harper_rules as ehr  # noqa: E402


def mlqe_row(mt, mt_tok, pe_tok, lp="et-en"):
    return {"text": mt, "mt_tok": mt_tok, "pe_tok": pe_tok, "lp": lp}


def test_edited_tokens_maps_detokenised_characters_to_tokens():
    row = mlqe_row("Two soldiers went to Tskinvali's hospital.",
                   "Two soldiers went to Tskinvali 's hospital .",
                   "Two soldiers went to the Tskhinvali hospital .")
    tokens = ehr.edited_tokens(row)
    spans, changed, inserts = tokens
    assert [row["text"][s:e] for s, e in spans] == row["mt_tok"].split()
    assert changed == {4, 5}  # "Tskinvali" replaced, "'s" deleted
    assert inserts == set() or inserts <= {4}
    at = row["text"].index
    assert ehr.on_edit(at("Tskinvali"), at("Tskinvali") + 9, tokens)
    assert not ehr.on_edit(0, 3, tokens)                          # "Two": kept
    assert not ehr.on_edit(at("hospital"), at("hospital") + 8, tokens)


def test_insertion_counts_at_the_edge_of_a_finding():
    row = mlqe_row("He bought car.", "He bought car .", "He bought a car .")
    tokens = ehr.edited_tokens(row)
    assert tokens[2] == {2}
    at = row["text"].index
    assert ehr.on_edit(at("car"), at("car") + 3, tokens)       # "a" goes right before it
    assert not ehr.on_edit(0, 2, tokens)                       # "He" is far from it


def test_quotes_retokenised_still_align():
    row = mlqe_row('He said "no" twice.', "He said &quot; no &quot; twice .", "He said &quot; no &quot; twice .")
    spans, changed, _ = ehr.edited_tokens(row)
    assert changed == set()
    assert row["text"][spans[3][0]:spans[3][1]] == "no"


def test_score_by_rule_mqm_precision_clean_rate_and_long_findings():
    data = {
        "mqm-ted": [{"text": "aaaa bbbb cccc dddd eeee", "errors": [
            {"start": 5, "end": 9, "category": "Fluency/Grammar"}]}],
        "mqm-newstest": [],
        "mlqe-pe": [],
        "standard-ebooks": [{"text": " ".join(["word"] * 1000)}],
        "lt-incorrect": [{"text": "x y z", "span": (2, 3)}],
        "lt-correct": [{"text": "x y z", "triggers": False}],
    }
    found = {
        "mqm-ted": {"aaaa bbbb cccc dddd eeee": [(5, 9, "harper.A.Hit"), (15, 19, "harper.A.Miss"),
                                                 (0, 24, "harper.A.Long")]},
        "mqm-newstest": {}, "mlqe-pe": {},
        "standard-ebooks": {data["standard-ebooks"][0]["text"]: [(0, 4, "harper.A.Miss")]},
        "lt-incorrect": {"x y z": [(2, 3, "harper.A.Hit")]},
        "lt-correct": {"x y z": [(0, 1, "harper.A.Miss")]},
    }
    tallies, tot = ehr.score(data, found, key=lambda r: r)
    assert ehr.mqm_pooled(tallies["harper.A.Hit"]) == (1, 1, 1)
    assert ehr.mqm_pooled(tallies["harper.A.Miss"]) == (1, 0, 0)
    assert ehr.mqm_pooled(tallies["harper.A.Long"]) == (0, 0, 0)  # covers > 80% of the segment
    assert tallies["harper.A.Long"].mt_findings == 1               # but counts in the MT rate
    assert tallies["harper.A.Hit"].category["Fluency/Grammar"] == 1
    assert ehr.clean_rates(tallies["harper.A.Miss"], tot)["standard-ebooks"] == 1.0
    assert tallies["harper.A.Hit"].lt_inc == 1 and tallies["harper.A.Miss"].lt_cor == 1
