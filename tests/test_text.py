"""The text layer (issue 12 item 2): paragraphs, sentences and words as spans, at the bottom of the layers."""
from __future__ import annotations

import ast
import functools
import itertools
import re
from pathlib import Path

import pytest

from repair import text as tx
from repair.model import Span
from repair.text import BLANK_LINE, BlankLineIndex, TextLayer, paragraphs, split_sentences, starts_sentence

REPAIR = Path(tx.__file__).resolve().parent


def _texts(text: str, spans) -> list[str]:
    return [text[s.start:s.end] for s in spans]


# --- paragraphs -------------------------------------------------------------------------

@pytest.mark.parametrize("nl", ["\n", "\r\n", "\r"])
def test_paragraphs_are_the_same_for_every_line_ending(nl):
    text = f"One line.{nl}Same paragraph.{nl}{nl}Two.{nl} \t{nl}{nl}Three{nl}"
    layer = TextLayer(text)
    assert _texts(text, layer.paragraphs()) == [f"One line.{nl}Same paragraph.", "Two.", f"Three{nl}"]
    assert layer.paragraphs() == tuple(paragraphs(text))
    assert _texts(text, layer.sentences()) == ["One line.", "Same paragraph.", "Two.", "Three"]
    assert _texts(text, layer.words()) == ["One", "line", "Same", "paragraph", "Two", "Three"]


def test_a_blank_line_may_hold_spaces_and_tabs_but_a_line_of_text_is_no_break():
    assert _texts("a\n \t \nb", paragraphs("a\n \t \nb")) == ["a", "b"]
    assert _texts("a\n b\n", paragraphs("a\n b\n")) == ["a\n b\n"]
    assert _texts(" lead\n\n\n\ntrail ", paragraphs(" lead\n\n\n\ntrail ")) == [" lead", "trail "]


def test_the_paragraph_around_a_span_and_merges_one_blank_line_variant():
    text = "First one.\n\n\nSecond one here.\n\nThird."
    second = text.index("Second")
    layer = TextLayer(text)
    assert layer.paragraph_at(Span(second + 7, second + 10)) == Span(second, second + len("Second one here."))
    # a span reaching over a blank line stretches its paragraph to its end
    assert layer.paragraph_at(Span(second, len(text))) == Span(second, len(text))
    # merging's variant reads exactly one blank line: the third line break stays with the paragraph
    assert BlankLineIndex(text, BLANK_LINE).paragraph(Span(second, second + 1)) == (second - 1, second + 16)


# --- sentences --------------------------------------------------------------------------

def test_abbreviations_and_initials_do_not_end_a_sentence():
    text = ("Mr. Smith met Dr. Jones at 5 p.m. on Feb. 3. They spoke, e.g. About prices. "
            "J. R. R. Tolkien lived in the U.S. For a while. It rained!")
    assert _texts(text, split_sentences(text)) == [
        "Mr. Smith met Dr. Jones at 5 p.m. on Feb. 3.",
        "They spoke, e.g. About prices.",
        "J. R. R. Tolkien lived in the U.S. For a while.",
        "It rained!",
    ]


def test_sentences_stay_inside_their_paragraph():
    text = "A Heading Without A Stop\r\n\r\nThe text begins. It ends here"
    # the splitter alone runs a title into the next paragraph; the layer splits a paragraph at a time
    assert _texts(text, split_sentences(text))[0] == "A Heading Without A Stop\r\n\r\nThe text begins."
    layer = TextLayer(text)
    assert _texts(text, layer.sentences()) == ["A Heading Without A Stop", "The text begins.", "It ends here"]
    second = layer.paragraphs()[1]
    assert _texts(text, layer.sentences_in(second)) == ["The text begins.", "It ends here"]
    assert _texts(text, layer.words_in(layer.sentences()[1])) == ["The", "text", "begins"]


def test_a_sentence_start_as_names_read_it():
    text = "He said: “Paris is far.” Then\nLondon. We met Anna."
    assert starts_sentence(text, text.index("Paris"))      # after a colon and an opening quote
    assert starts_sentence(text, text.index("London"))     # after a line break
    assert starts_sentence(text, 0)
    assert not starts_sentence(text, text.index("Anna"))   # mid-sentence


# --- words ------------------------------------------------------------------------------

def test_words_are_unicode_letters_with_inner_apostrophes():
    text = "Zoë’s naïve café in Ελλάδα, O'Brien's 3rd well-known 東京 don’t_x 'quoted'"
    assert _texts(text, TextLayer(text).words()) == [
        "Zoë’s", "naïve", "café", "in", "Ελλάδα", "O'Brien's", "rd", "well", "known", "東京", "don’t", "x", "quoted"]
    assert tx.TOKEN_RE.findall("3rd MP3 it's") == ["3rd", "MP3", "it's"]
    assert tx.READING_WORD_RE.findall("the U.S. rate of 3.5 well-known") == ["the", "U.S", "rate", "of", "3.5",
                                                                          "well-known"]
    assert tx.LETTERS_RE.findall("don't 5th") == ["don", "t", "th"]
    assert tx.TOKEN_OR_MARK_RE.findall("Yes, it's 5!") == ["Yes", ",", "it's", "5", "!"]


def test_every_word_variant_is_the_one_word_pattern_and_matches_what_each_stage_read_before():
    # the patterns each stage compiled on its own before the text layer: the same strings, the same results
    before = {
        "WORD": r"[^\W\d_]+(?:['’][^\W\d_]+)*",                 # names, merge
        "HYPHENATED_WORD": r"[^\W\d_]+(?:['’\-][^\W\d_]+)*",    # rule kinds
        "TOKEN": r"[^\W_]+(?:['’][^\W_]+)*",                    # score
        "TOKEN_OR_MARK": r"[^\W_]+(?:['’][^\W_]+)*|[^\w\s]",    # score's edit-rate tokens
        "HYPHENATED_TOKEN": r"[^\W_]+(?:['’\-][^\W_]+)*",       # rule kinds' fast tokenizer
        "READING_WORD": r"[^\W_]+(?:['’.\-][^\W_]+)*",          # readability
        "LETTERS": r"[^\W\d_]+",                                # decode
    }
    assert {name: getattr(tx, name) for name in before} == before


def test_one_crlf_is_a_line_break_not_a_blank_line():
    # the blank-line patterns of pipeline, rulebook, duplicate and merge each read "\r" + "\n" of one
    # CRLF as two line breaks: every line of a CRLF file was a paragraph of its own
    text = "It was the\r\nthe end.\r\n\r\nNext one."
    assert _texts(text, paragraphs(text)) == ["It was the\r\nthe end.", "Next one."]
    assert BlankLineIndex(text, BLANK_LINE).paragraph(Span(0, 1)) == (0, text.index("\r\n\r\n"))
    # everywhere else the patterns read what they always did
    before_runs = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:(?:\r\n|\r|\n)[ \t]*)+")
    before_one = re.compile(r"(?:\r\n|\r|\n)[ \t]*(?:\r\n|\r|\n)")
    for size in range(1, 7):
        for chars in itertools.product("\n\r \ta", repeat=size):
            sample = "".join(chars)
            if "\r\n" in sample:
                continue  # CRLF: above
            for new, old in ((tx.BLANK_LINES, before_runs), (tx.BLANK_LINE, before_one)):
                assert [m.span() for m in new.finditer(sample)] == [m.span() for m in old.finditer(sample)], sample


def test_empty_and_blank_text():
    for text in ("", "\r\n\r\n", "\n \n"):
        layer = TextLayer(text)
        assert layer.paragraphs() == layer.sentences() == layer.words() == ()
        assert split_sentences(text) == []
    for text in ("\r\n", "  \n\n  "):  # white space alone between blank lines is still a block
        layer = TextLayer(text)
        assert len(layer.paragraphs()) == 1 and layer.sentences() == () and layer.words() == ()
    assert TextLayer("").paragraph_at(Span(0, 0)) == Span(0, 0)


def test_the_layer_computes_each_segmentation_once(monkeypatch):
    calls = []
    real = tx.split_sentences
    monkeypatch.setattr(tx, "split_sentences", lambda t: calls.append(t) or real(t))
    layer = TextLayer("One. Two.\n\nThree.")
    for _ in range(3):
        assert len(layer.sentences()) == 3
    assert len(calls) == 2  # once per paragraph, not once per call


# --- layering -----------------------------------------------------------------------------

def _module_name(path: Path) -> str:
    rel = path.relative_to(REPAIR.parent).with_suffix("")
    parts = list(rel.parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _imports(path: Path) -> set[str]:
    """Every module of the ``repair`` package that ``path`` imports, at any depth of the file
    (inside functions too)."""
    name = _module_name(path)
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    out: set[str] = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            out.update(a.name for a in node.names if a.name.startswith("repair"))
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = package.split(".")
                base = base[:len(base) - node.level + 1]
                target = ".".join(base + ([node.module] if node.module else []))
            else:
                target = node.module or ""
            if not target.startswith("repair"):
                continue
            for alias in node.names:
                sub = f"{target}.{alias.name}"
                sub_path = REPAIR.parent / sub.replace(".", "/")
                out.add(sub if sub_path.with_suffix(".py").exists() or sub_path.is_dir() else target)
    out.discard("repair")  # the package itself: importing a submodule runs it, but it imports no layer
    return out


@functools.lru_cache(maxsize=1)
def _graph() -> dict[str, set[str]]:
    return {_module_name(p): _imports(p) for p in REPAIR.rglob("*.py")}


def _reachable(graph: dict[str, set[str]], start: str) -> set[str]:
    seen: set[str] = set()
    todo = list(graph.get(start, ()))
    while todo:
        m = todo.pop()
        if m not in seen:
            seen.add(m)
            todo.extend(graph.get(m, ()))
    return seen


def test_the_text_layer_imports_nothing_from_repair_but_the_model():
    assert _imports(REPAIR / "text.py") == {"repair.model"}
    assert _imports(REPAIR / "model.py") == set()


@pytest.mark.parametrize("module", ["repair.text", "repair.readability", "repair.lexicon", "repair.names",
                                    "repair.pipeline"])
def test_no_import_cycle_through_the_lower_layers(module):
    # issue 12: readability <-> pipeline (through checks; paragraphs() lived in the loop module)
    # and lexicon <-> names were cycles, hidden by imports inside functions
    graph = _graph()
    assert module in graph
    assert module not in _reachable(graph, module)


def test_readability_and_the_lexicon_stay_below_the_loop_and_the_names():
    graph = _graph()
    assert _reachable(graph, "repair.readability") <= {"repair.model", "repair.text"}
    assert "repair.names" not in _reachable(graph, "repair.lexicon")


@pytest.mark.parametrize("nl", ["\r\n", "\r"])
def test_a_text_gets_the_findings_of_its_lf_twin_whatever_its_line_endings(nl):
    import repair

    lf = "It was the\nthe end of it.\nWe saw a\na bird.\n\nWe saw a bird.\nWe saw a bird.\n"
    want = repair.analyse(lf, grammar="none")
    got = repair.analyse(lf.replace("\n", nl), grammar="none")
    assert [f.rule for f in got.findings] == [f.rule for f in want.findings] != []
    assert got.fixed == want.fixed.replace("\n", nl)
