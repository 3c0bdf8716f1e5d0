"""The linguistic layer (repair/tagger.py): tokens as spans, tags and lemmas from the shipped
model, NLTK's perceptron decision reproduced exactly, and the model loaded only on demand."""
from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from repair import tagger
from repair.model import Span

ROOT = Path(__file__).resolve().parent.parent


def words_of(text: str) -> list[str]:
    return [t.text for t in tagger.tokens(text)]


def test_tokens_are_spans_of_the_text_split_as_the_treebank_splits():
    text = "I don't think it's Mr. Smith’s car; it costs $1,000.\nShe can't go."
    toks = tagger.tokens(text)
    assert all(text[t.span.start:t.span.end] == t.text for t in toks)
    assert [t.text for t in toks] == ["I", "do", "n't", "think", "it", "'s", "Mr", ".", "Smith", "’s",
                                      "car", ";", "it", "costs", "$", "1,000", ".", "She", "ca", "n't",
                                      "go", "."]
    # two sentences: the line break ends one, "Mr." does not
    assert [t.sentence for t in toks][-1] == 1 and {t.sentence for t in toks} == {0, 1}


def test_sentence_spans_skip_abbreviations_and_initials():
    text = "Dr. Jones met J. Smith at 5 p.m. on Friday. They talked. \"Why?\" she asked."
    got = [text[s.start:s.end] for s in tagger.sentence_spans(text)]
    assert got == ["Dr. Jones met J. Smith at 5 p.m. on Friday.", "They talked.", "\"Why?\" she asked."]


def test_token_spans_is_a_seam_taking_a_sentence_span():
    text = "xx Hello, world. yy"
    assert [text[s.start:s.end] for s in tagger.token_spans(text, Span(3, 16))] == ["Hello", ",", "world", "."]


@pytest.mark.parametrize("sentence, expected", [
    ("The results shows that this rules are wrong .",
     ["DT", "NNS", "VBZ", "IN", "DT", "NNS", "VBP", "JJ", "."]),
    ("He should went home and she can go .",
     ["PRP", "MD", "VBD", "RB", "CC", "PRP", "MD", "VB", "."]),
    ("Several new factories were built last year .",
     ["JJ", "JJ", "NNS", "VBD", "VBN", "JJ", "NN", "."]),
])
def test_shipped_model_tags_hand_written_sentences(sentence, expected):
    assert [t.xpos for t in tagger.tag(sentence.split())] == expected


def test_tags_carry_universal_tags_and_lemmas():
    got = tagger.tag(["She", "went", "to", "the", "children", "'s", "parties", "."])
    assert [t.upos for t in got] == ["PRON", "VERB", "ADP", "DET", "NOUN", "PART", "NOUN", "PUNCT"]
    assert [t.lemma for t in got] == ["she", "go", "to", "the", "child", "'s", "party", "."]
    # a verb tagged by its context with another verb tag still gets the verb's lemma
    assert tagger.tag(["will", "made"])[1].lemma in ("make", "made")
    assert tagger.tag(["The", "council", "will", "made", "a", "decision"])[3].lemma == "make"


def test_curly_apostrophes_tag_like_straight_ones():
    assert [t.xpos for t in tagger.tag(["It", "’s", "fine"])] == [t.xpos for t in tagger.tag(["It", "'s", "fine"])]


def test_model_ships_in_the_wheel_with_its_licence():
    assert tagger.MODEL_FILE.is_file()
    readme = (ROOT / "repair" / "data" / "README.md").read_text(encoding="utf-8")
    assert "tagger.sqlite" in readme and "tagger-lexicon.txt" in readme and "CC BY-SA 4.0" in readme
    assert tagger.known("see", "VERB") and not tagger.known("seen", "VERB") and tagger.known("Factory", "NOUN")
    # hatchling ships every file of the package that git does not ignore
    ignored = subprocess.run(["git", "check-ignore", "-q", str(tagger.MODEL_FILE)], cwd=ROOT).returncode
    assert ignored != 0


def test_model_loads_lazily_and_once():
    code = (
        "import repair.tagger as t, repair.cli, repair.pipeline\n"
        "from repair.rulebook import load_rules, run_rules\n"
        "rules = load_rules()\n"
        "before = t.LOADS\n"
        "run_rules(rules, 'Nothing at all happened today.')\n"
        "quiet = t.LOADS\n"
        "run_rules(rules, 'We will apply this rules from Monday. They can goes home.')\n"
        "run_rules(rules, 'The results shows a trend.')\n"
        "print(before, quiet, t.LOADS, 'sqlite3' in sys.modules)\n")
    out = subprocess.run([sys.executable, "-c", "import sys\n" + code.replace("print(before", "print(before")],
                         capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["0", "0", "1", "True"]
    # a run that never tags never imports sqlite3
    quiet = subprocess.run([sys.executable, "-c", "import sys, repair.cli\n"
                            "from repair.rulebook import load_rules, run_rules\n"
                            "run_rules(load_rules(), 'Nothing at all happened today.')\n"
                            "print('sqlite3' in sys.modules)"],
                           capture_output=True, text=True, check=True, cwd=ROOT)
    assert quiet.stdout.split() == ["False"]


def test_runtime_tagger_equals_nltk_perceptron(tmp_path):
    """The stand-alone reader makes NLTK's decisions: a small perceptron trained by NLTK on
    hand-written sentences, exported as train.py exports the real one (unpruned here), tags
    new sentences exactly as NLTK's own tagger does."""
    pytest.importorskip("nltk")
    from nltk.tag.perceptron import PerceptronTagger
    sys.path.insert(0, str(ROOT / "training" / "tagger"))
    try:
        import compare
    finally:
        sys.path.pop(0)
    import random
    random.seed(1)
    corpus = [
        "The|DT|DET dog|NN|NOUN runs|VBZ|VERB fast|RB|ADV .|.|PUNCT",
        "Dogs|NNS|NOUN run|VBP|VERB in|IN|ADP the|DT|DET park|NN|NOUN .|.|PUNCT",
        "She|PRP|PRON can|MD|AUX see|VB|VERB the|DT|DET long-term|JJ|ADJ plan|NN|NOUN .|.|PUNCT",
        "They|PRP|PRON went|VBD|VERB home|RB|ADV in|IN|ADP 1999|CD|NUM .|.|PUNCT",
        "A|DT|DET cat|NN|NOUN sleeps|VBZ|VERB on|IN|ADP 42|CD|NUM mats|NNS|NOUN .|.|PUNCT",
        "We|PRP|PRON will|MD|AUX walk|VB|VERB to|IN|ADP school|NN|NOUN today|NN|NOUN .|.|PUNCT",
    ] * 3
    data = [[(w, f"{x}|{u}") for w, x, u in (tok.split("|") for tok in s.split())] for s in corpus]
    nl = PerceptronTagger(load=False)
    nl.train(data, nr_iter=4)
    weights, tagdict, classes = nl.encode_json_obj()
    path = tmp_path / "t.sqlite"
    compare.write_sqlite(compare.mini_model(weights, tagdict, sorted(classes), {"went\tVBD": "go"}), str(path))
    ours = tagger.Tagger(path)
    for s in ["The cat runs in the park .", "Cats sleep on mats .", "They will see 2001 dogs tomorrow .",
              "A well-known dog went home .", "Zebras graze quietly ."]:
        words = s.split()
        assert ours.joint(words) == [t for _, t in nl.tag(words)], s
    assert [t.lemma for t in ours.tag(["They", "went", "home"])] == ["they", "go", "home"]
