"""The issue's "Done when" behaviours on texts of our own that copy the seeds' garble
(the real engine, rules only)."""
from __future__ import annotations

from repair.rulebook import load_rules

from rule_engine import run

RULES = load_rules()

MT_TEXT = (
    "The ministry said on Friday that it had ordered the navy to send two more ships to the strait.\n"
    "“These ships will guard the shipping lanes, and certainly strengthen and strengthen the coalition. "
    "“We stand ready,” navy spokesman Piet Vos and Lisbon reporters told.\n"
    "The ships left the port in March, when the talks began. ..\n"
    "The navy has been moving ships since early March, ordering to deploy or deploy about 20 vessels, "
    "and to move others already in the region to ports near the strait. Relocated.\n"
    "The admiral said at a briefing in Porto that there would be no “quick answer” in the coming days. Told.\n"
    "“In the long term, this mission is I think it will last. “"
)

SCRAPED = (
    "date 2024-01-09 The harbour reopened on Tuesday after the storm.\n\n"
    "The town's mayor thanked the crews. The harbour’s owners thanked the town’s volunteers.\n\n"
    "Caption Cranes unload containers at the at the north quay, Tuesday, Jan. 9, 2024. "
    "The harbour reopened after a week of storms closed it to all shipping. (Photo/Ana Reis) "
    "Credit: Ana Reis Credit: Ana Reis\n\n"
    "Caption Cranes unload containers at the north quay, Tuesday, Jan. 9, 2024. "
    "The harbour reopened after a week of storms closed it to all shipping. (Photo/Ana Reis) "
    "Credit: Ana Reis Credit: Ana Reis\n\n"
    "Caption Cranes unload containers at the north quay, Tuesday, Jan. 9, 2024. "
    "The harbour reopened after a week of storms closed it to all shipping. (Photo/Ana Reis) "
    "Credit: Ana Reis Credit: Ana Reis"
)


def fix_with_rules(text, rules, unsafe=False):
    result = run(rules, text, unsafe)
    return result.fixed, result.findings


def by_rule(found):
    out = {}
    for f in found:
        out.setdefault(f.rule, []).append(f)
    return out


def test_machine_translation_garble():
    fixed, found = fix_with_rules(MT_TEXT, RULES)
    rules = by_rule(found)
    # safe: stray "..", both doubled verbs
    assert "began. .." not in fixed and "talks began.\n" in fixed
    assert "certainly strengthen the coalition" in fixed
    assert "ordering to deploy about 20 vessels" in fixed
    # flagged: the fragments, the reporting inversion, the hanging quote
    assert sorted(f.text for f in rules["mt.fragment"]) == ["Relocated.", "Told."]
    (inv,) = rules["mt.reporting-inversion"]
    assert inv.fix.safety == "suggest" and inv.fix.replacement == "told Lisbon reporters"
    (hang,) = rules["quotes.hanging-end"]
    assert hang.span.end == len(MT_TEXT) and hang.fix.replacement == "”"
    # suggestions are not applied by a safe fix, but are by an unsafe one
    assert "and Lisbon reporters told" in fixed
    unsafe, _ = fix_with_rules(MT_TEXT, RULES, unsafe=True)
    assert "Piet Vos told Lisbon reporters." in unsafe and unsafe.endswith("will last.”")


def test_scraped_boilerplate():
    fixed, found = fix_with_rules(SCRAPED, RULES)
    rules = by_rule(found)
    assert "at the at the" not in fixed
    assert "Credit: Ana Reis Credit: Ana Reis" not in fixed
    # once "at the at the" is fixed, the three caption paragraphs are one and the same
    assert fixed.count("Caption Cranes") == 1
    assert fixed.count("Credit: Ana Reis") == 1
    assert rules["boilerplate.metadata-line"][0].fix.safety == "suggest"
    mixed = rules["quotes.mixed-style"]
    assert mixed and all(f.fix.safety == "suggest" for f in mixed)
    assert {f.text for f in mixed} == {"'"}  # curly apostrophes dominate here
    assert fixed.startswith("date 2024-01-09")  # metadata is only suggested


def test_legitimate_text_is_left_alone():
    text = ("She had had enough. He said that that was that. We flew to Walla Walla and on to Pago Pago. "
            "Prices went up and up, again and again, more and more. The soup was so-so. “Done.” "
            "She walked and walked until the road ended...")
    fixed, found = fix_with_rules(text, RULES)
    assert fixed == text
    assert not [f for f in found if f.fix is None or f.fix.safety == "safe"]
