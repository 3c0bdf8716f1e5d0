#!/usr/bin/env python3
"""Train the part-of-speech tagger that ships in the wheel: ``repair/data/tagger.sqlite``.

    pip install -e '.[training]'          # nltk: used here only, never at run time
    python training/tagger/train.py [--treebank DIR] [--work DIR] [--out FILE]

Steps (chosen by ``compare.py``, see RESULTS.md):

1. NLTK's averaged perceptron (``nltk.tag.perceptron.PerceptronTagger``) is trained for 5
   iterations on the UD English Web Treebank's train split, on joint ``XPOS|UPOS`` labels
   (``random.seed(13)``: the same data gives the same model). Its weights are kept in
   ``WORK/nltk.json`` and reused on the next run (delete it to retrain).
2. Weights with ``|w| < 0.5`` are dropped (chosen on dev: -0.08 points).
3. A lemma table: the majority train lemma per (form, XPOS) where it differs from the default,
   and a lexicon: the lemmas seen as VERB, NOUN, ADJ, ADV (``is:VERB`` in a tokens rule).
4. The tagger goes into one SQLite file read by :mod:`repair.tagger` (stdlib only), the lexicon
   into ``tagger-lexicon.txt`` beside it.

The model is a derived work of UD English EWT and carries its licence, CC BY-SA 4.0
(see repair/data/README.md). The run prints the model's accuracy on the test split.
"""
from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parents[1]
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(ROOT))

import compare  # noqa: E402  (read_conllu, train_nltk, prune, mini_model, lemma_table, write_sqlite)

THRESHOLD = 0.5
DEFAULT_OUT = ROOT / "repair" / "data" / "tagger.sqlite"


LEXICON_UPOS = ("VERB", "NOUN", "ADJ", "ADV")
LEXICON_FILE = "tagger-lexicon.txt"


def lexicon(train) -> set[str]:
    """``UPOS\tlemma`` for every lemma the train split has under the open-class tags: what
    ``is:VERB`` asks in a rule ("see" is a verb's lemma, "seldom" is not)."""
    return {f"{u}\t{lm.lower()}" for _, upos, _, lemmas, _ in train for u, lm in zip(upos, lemmas)
            if u in LEXICON_UPOS}


def build(weights: dict, tagdict: dict, classes: list, lemmas: dict, out: Path, source: str,
          lex: set[str] = frozenset()) -> None:
    """Write the runtime model (pruned weights, tag dictionary, classes, lemma table, lexicon)."""
    model = compare.mini_model(compare.prune(weights, THRESHOLD), tagdict, classes, lemmas)
    out.parent.mkdir(parents=True, exist_ok=True)
    tmp = out.with_suffix(".tmp")
    compare.write_sqlite(model, str(tmp))
    import sqlite3
    db = sqlite3.connect(tmp)
    db.execute("INSERT INTO meta VALUES ('about', ?)", (json.dumps({
        "source": source,
        "licence": "CC BY-SA 4.0 (derived from the Universal Dependencies English Web Treebank)",
        "trainer": "nltk.tag.perceptron.PerceptronTagger, 5 iterations, joint XPOS|UPOS labels",
        "pruned": f"|w| >= {THRESHOLD}",
    }),))
    db.commit()
    db.execute("VACUUM")
    db.close()
    tmp.replace(out)
    # the lexicon as text: rules ask it before any tagging, without importing sqlite3
    out.with_name(LEXICON_FILE).write_text(
        "# UPOS<TAB>lemma: lemmas of UD English EWT's train split (CC BY-SA 4.0), by train.py\n"
        + "".join(k + "\n" for k in sorted(lex)), encoding="utf-8")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    ap.add_argument("--treebank", type=Path, default=compare.DEFAULT_TREEBANK)
    ap.add_argument("--work", type=Path, default=Path("/tmp/tagger-train"))
    ap.add_argument("--out", type=Path, default=DEFAULT_OUT)
    args = ap.parse_args()
    if not all((args.treebank / n).exists() for n in compare.SPLITS.values()):
        print(f"skip: UD English EWT not found in {args.treebank}")
        return 0
    args.work.mkdir(parents=True, exist_ok=True)
    train = compare.read_conllu(args.treebank / compare.SPLITS["train"])
    if not (args.work / "nltk.json").exists():
        print("training NLTK's perceptron (5 iterations; minutes)...", file=sys.stderr)
        _, secs = compare.train_nltk(train, args.work)
        print(f"trained in {secs:.0f} s", file=sys.stderr)
    with open(args.work / "nltk.json", encoding="utf-8") as fh:
        weights, tagdict, classes = json.load(fh)
    build(weights, tagdict, classes, compare.lemma_table(train), args.out,
          f"{compare.SPLITS['train']} (UD English EWT)", lexicon(train))

    sys.path.insert(0, str(ROOT))
    from repair import tagger
    model = tagger.Tagger(args.out)
    test = compare.read_conllu(args.treebank / compare.SPLITS["test"])
    n = up = xp = lem = 0
    for forms, upos, xpos, lemmas, _ in test:
        for tok, u, x, lm in zip(model.tag(forms), upos, xpos, lemmas):
            n += 1
            up += tok.upos == u
            xp += tok.xpos == x
            lem += tok.lemma == lm
    print(f"{args.out}: {args.out.stat().st_size:,} bytes; test split ({n} tokens): "
          f"UPOS {up / n:.2%}, XPOS {xp / n:.2%}, lemma {lem / n:.2%}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
