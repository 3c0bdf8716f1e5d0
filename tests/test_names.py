"""Names are not errors: which spelling findings the name handling drops."""
from __future__ import annotations

from repair.model import Finding, Span
from repair.names import NameIndex, is_accepted, is_spelling_finding, load_accept_words, suppress_names
from repair.options import Options


def spelling(text: str, word: str, nth: int = 0, rule: str = "harper.Spelling.SpellCheck") -> Finding:
    start = -1
    for _ in range(nth + 1):
        start = text.index(word, start + 1)
    return Finding(rule, rule.split(".")[0], "warning", "spelling", Span(start, start + len(word)), word)


TEXT = (
    "Vaderholm arrived late. The delegation met President Oskarine Vaderholm and "
    "Secretary General Telmar Quibbsley in Brunsfjeld.\n\n"
    "Zintaro spoke first.\n"
    "Officials in Kelvaria praised the Prime Minister, Abdelrazak NORTHWINDE, for the deal. "
    "Recieve the papers, they said, and teh rest will follow."
)


def test_evidence_of_names():
    index = NameIndex.from_text(TEXT)
    assert index.is_name("Vaderholm")          # mid-sentence elsewhere, though first seen sentence-initial
    assert index.is_name("Oskarine")           # after a title
    assert index.is_name("Telmar")             # in a run after "Secretary General"
    assert index.is_name("Quibbsley")
    assert index.is_name("Brunsfjeld")         # capitalised mid-sentence
    assert index.is_name("NORTHWINDE")         # all-caps surname mid-sentence
    assert not index.is_name("Zintaro")        # once, at the start of a line: no evidence
    assert not index.is_name("Recieve")        # sentence-initial, once
    assert not index.is_name("teh")            # lower case is never a name


def test_possessive_uses_the_name_evidence():
    text = "Minister Halvorsk spoke. Halvorsk’s aides agreed."
    assert NameIndex.from_text(text).is_name("Halvorsk’s")


def test_a_word_also_written_in_lower_case_is_not_a_name():
    text = "Recieve it now. Later, we recieve more. Recieve them all."
    assert not NameIndex.from_text(text).is_name("Recieve")


def test_repeated_capitalised_word_is_a_name():
    text = "Zintaro spoke first.\nZintaro spoke again."
    assert NameIndex.from_text(text).is_name("Zintaro")


def test_suppress_names_keeps_real_misspellings():
    findings = [spelling(TEXT, w) for w in
                ("Vaderholm", "Oskarine", "Quibbsley", "Brunsfjeld", "NORTHWINDE", "Zintaro", "Recieve", "teh")]
    kept = suppress_names(TEXT, findings, Options())
    # "Zintaro" has no evidence of being a name, but no common word is one edit away either
    assert [f.text for f in kept] == ["Recieve", "teh"]


def test_names_that_look_like_typos_need_the_document_evidence():
    # each of these is one edit from a common word, so only the name evidence saves it
    text = "Minister Darek Hollins arrived. Later Hollins met Darek again.\n\nBarek spoke once."
    from repair.lexicon import available, is_typo_shaped
    if available():
        assert all(is_typo_shaped(w) for w in ("Darek", "Hollins", "Barek"))
    findings = [spelling(text, "Darek"), spelling(text, "Hollins"), spelling(text, "Barek")]
    assert [f.text for f in suppress_names(text, findings, Options())] == ["Barek"]


def test_name_next_to_an_all_caps_surname():
    text = "Independence came in 1963.\n\nDarek HOLLINSWORTH led the country until 1978."
    index = NameIndex.from_text(text)
    assert index.is_name("Darek") and index.is_name("HOLLINSWORTH")
    # a word before a two-letter acronym, or a common word before an all-caps word, is no evidence
    assert not NameIndex.from_text("Darek US troops left.").is_name("Darek")
    assert NameIndex.from_text("The DAREK report.").evidence["the"].by_caps == 0


def test_only_spelling_findings_are_suppressed():
    other = Finding("harper.Capitalization.X", "harper", "warning", "m", Span(0, 9), TEXT[:9])
    assert suppress_names(TEXT, [other], Options()) == [other]


def test_languagetool_spelling_rules_are_spelling():
    assert is_spelling_finding(spelling(TEXT, "Brunsfjeld", rule="languagetool.TYPOS.MORFOLOGIK_RULE_EN_US"))
    assert not is_spelling_finding(spelling(TEXT, "Brunsfjeld", rule="languagetool.GRAMMAR.HE_VERB_AGR"))
    kept = suppress_names(TEXT, [spelling(TEXT, "Brunsfjeld", rule="languagetool.TYPOS.MORFOLOGIK_RULE_EN_US")],
                          Options())
    assert kept == []


def test_accepted_words_whatever_the_case():
    text = "we use the wrokbench daily. Wrokbench works, teh rest does not."
    findings = [spelling(text, "wrokbench"), spelling(text, "Wrokbench"), spelling(text, "teh")]
    assert len(suppress_names(text, findings, Options())) == 3  # one edit from "workbench"
    kept = suppress_names(text, findings, Options(accept_words=frozenset({"wrokbench"})))
    assert [f.text for f in kept] == ["teh"]
    assert is_accepted("Frobnicator’s", {"frobnicator"})
    assert not is_accepted("frobnicate", {"frobnicator"})


def test_load_accept_words(tmp_path):
    path = tmp_path / "words.txt"
    path.write_text("# team words\nungarble\n\n  Kubernetes  # a name\n", encoding="utf-8")
    assert load_accept_words(path) == frozenset({"ungarble", "Kubernetes"})


def test_other_dialect_spellings_are_not_misspellings():
    from repair.names import is_regional_variant

    assert is_regional_variant("colour", ["color"]) and is_regional_variant("color", ["colour"])
    assert is_regional_variant("travelled", ["traveled"]) and is_regional_variant("realise", ["realize"])
    assert not is_regional_variant("recieve", ["receive"])
    assert not is_regional_variant("hour", ["hor"])
    text = "the colour and teh sky"
    findings = [spelling(text, "colour"), spelling(text, "teh")]
    findings = [f.__class__(f.rule, f.source, f.severity, f.message, f.span, f.text,
                            __import__("repair.model", fromlist=["Edit"]).Edit(f.span, r, f.rule))
                for f, r in zip(findings, ["color", "the"])]
    assert [f.text for f in suppress_names(text, findings, Options())] == ["teh"]
