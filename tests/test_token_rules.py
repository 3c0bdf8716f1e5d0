"""The ``tokens`` rule kind (repair/rulekinds/tokens.py) and the grammar pack built on it."""
from __future__ import annotations

import textwrap

import pytest

from repair import tagger
from repair.rulebook import RuleFileError, load_rules
from repair.rulekinds import tokens as tokens_kind
from rule_engine import findings, fix

ALL_GRAMMAR = [r for r in load_rules() if r.id.startswith("grammar.")]
GRAMMAR = [r for r in ALL_GRAMMAR if r.KIND == "tokens"]


def one_rule(tmp_path, body: str, examples: str = 'examples:\n  bad: ["x"]\n  good: ["y"]\n'):
    (tmp_path / "r.yaml").write_text(textwrap.dedent(body) + examples, encoding="utf-8")
    return load_rules([tmp_path], builtin=False)[0]


def found(rule, text):
    return [(text[f.span.start:f.span.end], f.fix.replacement if f.fix else None) for f in rule.find(text)]


def test_grammar_rules_are_token_rules_and_never_safe():
    ids = {r.id for r in GRAMMAR}
    # the two its/it's rules are plain patterns: their words need no tags
    assert {r.id for r in ALL_GRAMMAR} - ids == {"grammar.its-possessive", "grammar.its-contraction"}
    assert ids == {"grammar.det-det", "grammar.modal-to", "grammar.modal-of", "grammar.do-verb-form",
                   "grammar.pronoun-verb", "grammar.have-past-tense", "grammar.modal-verb-form", "grammar.have-base-form",
                   "grammar.subject-verb", "grammar.singular-det-plural-noun",
                   "grammar.plural-det-singular-noun", "grammar.to-verb-form", "grammar.he-she-base-form",
                   "grammar.question-agreement", "grammar.question-do-agreement", "grammar.these-singular-verb",
                   "grammar.a-superlative", "grammar.to-past-form", "grammar.been-base-form",
                   "grammar.subject-verb-clause", "grammar.did-past-question",
                   "grammar.number-of-singular-noun", "grammar.each-of-plural-verb", "grammar.a-an", "grammar.an-a",
                   "grammar.double-comparative", "grammar.singular-subject-verb"}
    assert all(r.safety in ("flag", "suggest") for r in ALL_GRAMMAR)


@pytest.mark.parametrize("text, rule_id, span, suggestion", [
    ("They can goes home.", "grammar.modal-verb-form", "can goes", "can go"),
    ("We should went there.", "grammar.modal-verb-form", "should went", "should go"),
    ("It should of been found.", "grammar.modal-of", "should of", "should have"),
    ("You must to go now.", "grammar.modal-to", "must to go", "must go"),
    ("She has go to school.", "grammar.have-base-form", "has go", None),
    ("The results shows a trend.", "grammar.subject-verb", "results shows", None),
    ("We will apply this rules today.", "grammar.singular-det-plural-noun", "this rules", None),
    ("They built several new factory.", "grammar.plural-det-singular-noun", "several new factory", None),
    ("There are many medium in the market.", "grammar.plural-det-singular-noun", "many medium", None),
    ("She bought the a car.", "grammar.det-det", "the a", None),
    ("He did not went home.", "grammar.do-verb-form", "went", "go"),
    ("He did went home.", "grammar.do-verb-form", None, None),
    ("They has left.", "grammar.pronoun-verb", "They has", None),
    ("I must have wrote it.", "grammar.have-past-tense", "have wrote", None),
])
def test_agreement_patterns_of_the_issue(text, rule_id, span, suggestion):
    rule = next(r for r in GRAMMAR if r.id == rule_id)
    assert found(rule, text) == ([(span, suggestion)] if span else [])


@pytest.mark.parametrize("text", [
    "The will to live is strong.", "Her will stated that the house goes to her son.",
    "He has come home.", "You had better leave.", "The news shows a trend.", "Physics explains it.",
    "This means the plan works.", "These school districts are large.", "Many people came.",
    "The a priori case fails.", "He said that prices rose.", "We could have gone.",
    "She would've known.", "Those who came early got seats.",
])
def test_grammar_pack_leaves_correct_sentences_alone(text):
    assert [f for r in GRAMMAR for f in r.find(text)] == []


def test_suggestions_are_edits_only_with_unsafe():
    rule = next(r for r in GRAMMAR if r.id == "grammar.modal-verb-form")
    assert fix([rule], "They can goes home.") == "They can goes home."
    assert fix([rule], "They can goes home.", unsafe=True) == "They can go home."


def test_repeat_negation_anchor_mark_and_suggestion_case(tmp_path):
    rule = one_rule(tmp_path, """\
        id: t.x
        kind: tokens
        message: "'{match}' -> '{suggestion}'"
        safety: suggest
        pattern: "^ the|a *tag:JJ tag:NN&!word:dog"
        mark: "3-4"
        suggestion: "{3}{4.lemma}"
        """, 'examples:\n  bad: ["x"]\n  fixed: ["x"]\n  good: ["y"]\n')
    assert found(rule, "The big red cat sat.") == [("big red cat", "big redcat")]
    assert found(rule, "The cat sat.") == [("cat", None)]  # the suggestion equals the text: no edit
    assert found(rule, "The big red dog sat.") == []        # !word:dog
    assert found(rule, "I saw the big red cat.") == []      # ^: only at the sentence start
    f = rule.find("The big cat sat.")[0]
    assert f.message == "'big cat' -> 'bigcat'"


def test_antipattern_overlapping_the_match_vetoes_it(tmp_path):
    body = """\
        id: t.x
        kind: tokens
        message: m
        safety: flag
        pattern: "tag:MD tag:VB"
        """
    plain = one_rule(tmp_path, body)
    assert found(plain, "You can go now.") == [("can go", None)]
    vetoed = one_rule(tmp_path, body + 'antipatterns: ["go now"]\n')
    assert found(vetoed, "You can go now.") == []
    assert found(vetoed, "You can go today.") == [("can go", None)]


def test_case_sensitive_word_clause(tmp_path):
    rule = one_rule(tmp_path, """\
        id: t.x
        kind: tokens
        message: m
        safety: flag
        pattern: "(?-i:will) tag:VB"
        """)
    assert found(rule, "They will go.") == [("will go", None)]
    assert found(rule, "Will go.") == []


@pytest.mark.parametrize("body, reason", [
    ('pattern: "tag:NN&bad:["\n', "bad regex"),
    ('pattern: "a b"\nmark: "3"\n', "outside the pattern"),
    ('pattern: "a $ b"\n', "must be the last"),
    ('pattern: "?a"\n', "must have an element that takes a token"),
    ('pattern: "{0,9}a"\n', "bad repeat"),
    ('pattern: "a"\nsafety: suggest\n', "needs a 'suggestion'"),
    ('pattern: "a"\nsuggestion: "{2}"\n', "names element 2"),
])
def test_bad_patterns_are_refused_with_the_reason(tmp_path, body, reason):
    if "safety:" not in body:
        body += "safety: flag\n"
    fixed = '  fixed: ["x"]\n' if "safety: suggest" in body else ""
    (tmp_path / "r.yaml").write_text("id: t.x\nkind: tokens\nmessage: m\n" + body
                                     + 'examples:\n  bad: ["x"]\n' + fixed + '  good: ["y"]\n', encoding="utf-8")
    with pytest.raises(RuleFileError) as err:
        load_rules([tmp_path], builtin=False)
    assert reason in str(err.value)


def test_tagger_runs_only_on_sentences_passing_the_word_clauses(tmp_path, monkeypatch):
    calls = []
    real = tagger.tag_words.__wrapped__

    def counting(words):
        calls.append(words)
        return tuple(real(words))

    monkeypatch.setattr(tagger, "tag_words", counting)
    tokens_kind._split.cache_clear()
    rule = one_rule(tmp_path, """\
        id: t.x
        kind: tokens
        message: m
        safety: flag
        pattern: "can|could tag:VBZ&.*s"
        """)
    text = "The sun rose. Nobody could sleep. She can goes home."
    assert found(rule, text) == [("can goes", None)]
    assert calls == [("She", "can", "goes", "home", ".")]   # "could sleep" fails the word clause


def test_precheck_needs_a_literal_word_of_the_pattern(tmp_path):
    rule = one_rule(tmp_path, """\
        id: t.x
        kind: tokens
        message: m
        safety: flag
        pattern: "?tag:RB can|could tag:VB"
        """)
    from repair.rulekinds.base import Facts
    assert rule.precheck("They will go.", Facts("They will go.")) is False
    assert rule.precheck("They CAN go.", Facts("They CAN go.")) is True
    # the gate never hides a finding: every example of every grammar rule passes its own gate
    for r in GRAMMAR:
        for text in r.examples.bad:
            assert r.gate(text, Facts(text)), (r.id, text)


def test_quick_regex_never_rejects_a_start_the_word_clauses_accept():
    texts = [t for r in GRAMMAR for t in r.examples.bad + r.examples.good] + [
        "Well-known these long-term new factory things shows.", "Can’t they goes? The a-priori co-op",
        "THE RESULTS SHOWS IT. Mr. Smith's many medium 'cats' have go.", "has\u00a0go", "123 4,5 --"]
    for r in GRAMMAR:
        assert r._quick is not None, r.id
        for text in texts + [" ".join(texts)]:
            split = tokens_kind._split(text)
            quick = {split.at[m.start()] for m in r._quick.finditer(split.joined) if m.start() in split.at}
            for si, (_offsets, words) in enumerate(split.sentences):
                exact = {(si, i) for i in range(len(words))
                         if tokens_kind.match_at(r._elems, words, i, tokens_kind.Element.words_ok) is not None}
                assert exact <= quick, (r.id, text)
