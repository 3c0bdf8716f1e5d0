"""Source-aware checks (repair/checks/source.py): hand-written pairs into English, each check firing
where it should and standing down where a translator may legitimately differ from the source."""
from __future__ import annotations

import pytest

from repair import catalog
from repair.checks.source import (EXAMPLES, RULES, SourceCheckOptions, check_consistency, check_pair,
                                  read_glossary)


def rules(source, target, lang, **kw):
    return [f.rule for f in check_pair(source, target, source_lang=lang, **kw)]


@pytest.mark.parametrize("lang,source,target,rule", EXAMPLES)
def test_module_examples(lang, source, target, rule):
    found = rules(source, target, lang)
    if rule is None:
        assert found == []
    else:
        assert rule in found


def test_every_rule_is_declared_and_listed_by_the_catalog():
    for rule, meta in RULES.items():
        assert rule.startswith("source.")
        assert meta["severity"] in ("info", "warning", "error")
        assert meta["safety"] in ("flag", "suggest")  # nothing here is a safe edit
        assert meta["description"]
    listed = {r.id for r in catalog.all_rules()}
    assert set(RULES) <= listed


def test_findings_lie_in_the_target_and_quote_it():
    target = "There are 4 cats and {count} dogs"
    for f in check_pair("Il y a 3 chats et {n} chiens.", target, source_lang="fr"):
        assert 0 <= f.span.start <= f.span.end <= len(target)
        assert f.text == target[f.span.start:f.span.end]
        assert f.source == "source"
        assert f.fix is None or f.fix.safety == "suggest"


# --- numbers ------------------------------------------------------------------------------------

@pytest.mark.parametrize("lang,source,target", [
    ("de", "Der Umsatz stieg auf 1.234.567,89 Euro.", "Revenue rose to 1,234,567.89 euros."),
    ("fr", "Il y avait 12 500 visiteurs.", "There were 12,500 visitors."),
    ("fr", "Il y avait 12\u202f500 visiteurs.", "There were 12,500 visitors."),
    ("ru", "Он получил 2,5 млн рублей.", "He received 2.5 million roubles."),
    ("ru", "Население — 3 млн человек.", "The population is 3,000,000."),
    ("de", "Es kamen drei Gäste.", "Three guests came."),
    ("de", "Es kamen 3 Gäste.", "Three guests came."),
    ("ja", "参加者は５人でした。", "There were 5 participants."),
    ("zh", "价格上涨了1倍。", "The price doubled."),
    ("zh", "门票1美元。", "Tickets cost $1."),
    ("zh", "预算为60亿港元。", "The budget is HKD 6 billion."),
    ("zh", "预算为5.9万件。", "About 59,000 applications."),
    ("zh", "他走了五六百米。", "He walked about 500 meters."),
    ("zh", "凌晨四点半。", "At 4:30 in the morning."),
    ("zh", "7月26日，会议开幕。", "On July 26, 2020, the meeting opened."),
    ("zh", "新冠病毒传播。", "The spread of COVID-19."),
    ("zh", "新冠病毒传播。", "The spread of the Covid-19 virus."),
    ("ru", "В XIX веке город вырос.", "In the 19th century the city grew."),
    ("ru", "В 1990-х годах.", "In the 1990s."),
    ("de", "1. Öffnen Sie die Datei.", "Open the file."),
    ("fr", "Le 3 mars 2021 à 14 h.", "On 3 March 2021 at 2 pm."),
    ("ro", "Au fost vândute 55.000 de exemplare.", "55.000 copies were sold."),
])
def test_numbers_a_translator_may_render_differently_do_not_fire(lang, source, target):
    assert not [r for r in rules(source, target, lang) if r.startswith("source.number")]


def test_a_missing_number_anchors_on_the_whole_target():
    target = "  There were three cases.  "
    (f,) = [f for f in check_pair("В 2014 году было 3 случая.", target, source_lang="ru")
            if f.rule.startswith("source.number")]
    assert f.rule == "source.number-missing" and "2014" in f.message
    assert f.text == "There were three cases."


def test_an_extra_number_anchors_on_it():
    (f,) = check_pair("Er kam am Montag.", "He came on Monday at 9.", source_lang="de")
    assert (f.rule, f.text) == ("source.number-extra", "9")


def test_a_different_number_and_decimal_marks_of_the_source_language():
    (f,) = check_pair("Das kostet 1.500 Euro.", "That costs 1.5 euros.", source_lang="de")
    assert (f.rule, f.text) == ("source.number-different", "1.5")
    assert rules("Il mesure 2,5 mètres.", "It is 25 metres tall.", "fr") == ["source.number-different"]


# --- placeholders and markup --------------------------------------------------------------------

@pytest.mark.parametrize("lang,source,target", [
    ("de", "%1$s hat %2$d Dateien gelöscht.", "%2$d files were deleted by %1$s."),
    ("fr", "Bonjour %(name)s !", "Hello %(name)s!"),
    ("ja", "{count, plural, one {# 件} other {# 件}}", "{count, plural, one {# item} other {# items}}"),
    ("de", "Klicken Sie <a href=\"/x\">hier</a>.", "Click <a href=\"/x\">here</a>."),
    ("zh", "运行 `make test`。", "Run `make test`."),
    ("ru", "Скидка 50% для всех.", "A 50% discount for everyone."),
    ("fr", "100 %d'abord", "100 %d'abord"),
])
def test_placeholders_that_survive_do_not_fire(lang, source, target):
    assert not [r for r in rules(source, target, lang) if r.startswith("source.placeholder")]


@pytest.mark.parametrize("lang,source,target,rule", [
    ("de", "Hallo %s!", "Hello!", "source.placeholder-missing"),
    ("fr", "Bonjour {name}", "Hello {nom}", "source.placeholder-missing"),
    ("fr", "Bonjour {name}", "Hello {nom}", "source.placeholder-extra"),
    ("ja", "%(count)d 件", "%(count)s items", "source.placeholder-missing"),
    ("ru", "{n, plural, one {# файл} other {# файлов}}", "# files", "source.placeholder-missing"),
    ("de", "<b>Achtung</b>", "Warning</b>", "source.placeholder-missing"),
    ("zh", "见[文档](https://example.org)。", "See the docs.", "source.placeholder-missing"),
    ("zh", "运行 `make test`。", "Run make test.", "source.placeholder-missing"),
    ("de", "Speichern", "<i>Save</i>", "source.placeholder-extra"),
])
def test_lost_or_invented_placeholders_fire(lang, source, target, rule):
    assert rule in rules(source, target, lang)


# --- untranslated, copied words, names ----------------------------------------------------------

def test_untranslated_units():
    assert rules("Datei nicht gefunden", "Datei nicht gefunden", "de") == ["source.untranslated"]
    assert rules("Berlin", "Berlin", "de") == []
    assert rules("Google Chrome", "Google Chrome", "fr") == []
    assert rules("Information", "Information", "fr") == []   # the same word in English
    assert rules("ファイルを開く", "ファイルを開く", "ja") == ["source.untranslated"]


def test_source_script_left_in_the_target():
    found = check_pair("Нажмите кнопку, чтобы продолжить.", "Press the кнопку to continue.", source_lang="ru")
    assert [(f.rule, f.text) for f in found] == [("source.source-script", "кнопку")]
    found = check_pair("请点击确定按钮。", "Please click the 确定 button.", source_lang="zh")
    assert [(f.rule, f.text) for f in found] == [("source.source-script", "确定")]
    assert rules("Привет", "Hello", "ru") == []


def test_copied_words():
    found = check_pair("Die Stadt hat eine wunderschöne Altstadt.", "The city has a wunderschöne old town.",
                       source_lang="de")
    assert [(f.rule, f.text) for f in found] == [("source.copied-word", "wunderschöne")]
    # English words, names, kept phrases and Latin binomials are not copies to report
    assert rules("Le restaurant est ouvert.", "The restaurant is open.", "fr") == []
    assert rules("Il a agi de facto.", "He acted de facto.", "fr") == []
    assert rules("Elephas falconeri lebte auf Malta.", "Elephas falconeri lived on Malta.", "de") == []
    assert rules("Der Film heißt Post mortem laureatus.", "The film is called Post mortem laureatus.", "de") == []


def test_missing_names():
    assert "source.name-missing" in rules("新款iPhone将于下月发布。", "The new phone comes out next month.", "zh")
    assert "source.name-missing" in rules("Новый Airbus A320 прибыл.", "The new plane has arrived.", "ru")
    assert "source.name-missing" in rules("Der Virus H5N6 breitet sich aus.", "The virus is spreading.", "de")
    # kept, spaced differently, or inflected in the source
    assert rules("新款iPhone将于下月发布。", "The new iPhone comes out next month.", "zh") == []
    assert rules("Компания OpenAI выпустила модель.", "Open AI released a model.", "ru") == []
    assert rules("Ta kohtus McCanni vanematega.", "He met McCann's parents.", "et") == []
    assert rules("В XX веке.", "In the twentieth century.", "ru") == []


# --- length, edges, glossary, consistency -------------------------------------------------------

def test_length_ratio_is_info_alone_and_calibrated_per_pair():
    long_mt = "The weather is nice today and we will go to the park and then we will eat ice cream together."
    found = check_pair("今天天气很好。", long_mt, source_lang="zh")
    assert [(f.rule, f.severity) for f in found] == [("source.length-ratio", "info")]
    # the same lengths are ordinary for Romanian (one alphabet each side)
    assert rules("Vremea este frumoasă astăzi și vom merge în parc apoi vom mânca înghețată împreună.",
                 long_mt, "ro") == []
    # a short translation alone says nothing
    assert rules("Das Wetter ist heute schön, und wir gehen in den Park und essen dann zusammen ein Eis.",
                 "Nice.", "de") == []


def test_edges():
    assert rules("Sind Sie sicher?", "Are you sure", "de") == ["source.end-punctuation"]
    assert rules("确定要删除吗？", "Delete it?", "zh") == []
    assert rules("Name :", "Name:", "fr") == []
    assert rules("Er sagte: „Ja.“", "He said: \"Yes.\"", "de") == []
    (f,) = check_pair("Name: ", "Name:", source_lang="de")
    assert (f.rule, f.fix.replacement, f.fix.safety) == ("source.whitespace", " ", "suggest")
    assert rules("Datei öffnen", "Open  the file", "de") == ["source.double-space"]
    assert rules("Ouvrir le fichier", "open the file", "fr") == ["source.initial-capital"]
    assert rules("Ouvrir le fichier", "iPhone settings", "fr") == []
    assert rules("ファイルを開く", "open the file", "ja") == []   # no capitals in the source


def test_glossary_and_do_not_translate(tmp_path):
    path = tmp_path / "glossary.csv"
    path.write_text("source,target\nDatei,file\nUngarble,\n", encoding="utf-8")
    glossary, keep = read_glossary(str(path))
    assert glossary == {"Datei": "file"} and keep == ["Ungarble"]
    options = SourceCheckOptions(glossary=glossary, do_not_translate=keep)
    assert rules("Datei speichern", "Save the document", "de", options=options) == ["source.glossary"]
    assert rules("Datei speichern", "Save the file", "de", options=options) == []
    assert rules("Ungarble prüft Texte", "Unscramble checks texts", "de",
                 options=options) == ["source.do-not-translate"]
    assert rules("Datei speichern", "Save the document", "de",
                 options=SourceCheckOptions(glossary=glossary, disabled=frozenset({"source.glossary"}))) == []


def test_consistency_within_a_file():
    units = [("Speichern", "Save"), ("Öffnen", "Open"), ("Speichern", "Store"), ("Sichern", "Save"),
             ("Öffnen", "Open")]
    found = check_consistency(units)
    assert [i for i, _ in found] == [2, 3]
    assert all(f.rule == "source.inconsistent" and f.severity == "info" for _, f in found)


def test_blank_targets_are_not_checked():
    assert check_pair("Datei", "", source_lang="de") == []
    assert check_pair("Datei", "   ", source_lang="de") == []
