"""The garble score of translation files (issue 14 item 5): units instead of paragraphs in `score`,
`report` and `check --metrics`, and the source's terms (repair.score.source)."""
from __future__ import annotations

import json

from click.testing import CliRunner

import repair

from repair.cli import main
from repair.cli_score import report, score
from repair.score import load_model, score_text, sentence_features
from repair.score.source import FEATURES, load_source_model, source_features, source_shift

main.add_command(score)
main.add_command(report)

RO_SOURCE = "Clădirea are o fațadă impunătoare și o curte interioară mare."
RO_TARGET = "The building has an impunătoare facade and a large inner courtyard."
LONG_SOURCE = "Trenul pleacă la ora opt dimineața."
LONG_TARGET = ("The train leaves at eight in the morning, and the passengers who have bought their tickets "
               "in advance may take any free seat in the first three carriages of the train.")
PO = f'''msgid ""
msgstr ""
"Language: en\\n"
"X-Source-Language: ro\\n"
"Content-Type: text/plain; charset=UTF-8\\n"

#: src/menu.c:3
msgctxt "menu"
msgid "Deschide fișierul"
msgstr "Open the file"

msgid "{RO_SOURCE}"
msgstr "{RO_TARGET}"

msgid "{LONG_SOURCE}"
msgstr "{LONG_TARGET}"

msgid "%d fișier șters"
msgid_plural "%d fișiere șterse"
msgstr[0] "%d file deleted"
msgstr[1] "%d files were deleted"
'''


def po_file(tmp_path, text=PO, name="app.po"):
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def metrics(*args):
    result = CliRunner().invoke(main, ["score", "--grammar", "none", "--format", "json", *args])
    assert result.exit_code == 0, result.output
    return json.loads(result.stdout)["files"][0]["metrics"]


def test_score_json_of_a_po_file_lists_its_units(tmp_path):
    m = metrics(po_file(tmp_path))
    assert "paragraphs" not in m and set(m) >= {"garble_score", "readability", "units"}
    units = m["units"]
    assert [u["text"] for u in units] == ["Open the file", RO_TARGET, LONG_TARGET, "%d file deleted",
                                          "%d files were deleted"]
    for u in units:
        assert set(u) >= {"id", "source_text", "text", "start", "end", "line", "garble_score", "words",
                          "source_points"}
    first = units[0]
    assert first["id"] == "Deschide fișierul" and first["context"] == "menu"
    assert first["source_text"] == "Deschide fișierul" and first["line"] == 10
    text = open(po_file(tmp_path), encoding="utf-8").read()
    assert text[first["start"]:first["end"]] == "Open the file"
    assert [u.get("plural") for u in units[3:]] == [0, 1]
    assert units[4]["source_text"] == "%d fișiere șterse"
    assert 0 <= m["garble_score"] <= 100


def test_the_source_raises_a_hallucinated_or_copied_target(tmp_path):
    units = {u["text"]: u for u in metrics(po_file(tmp_path))["units"]}
    for target in (RO_TARGET, LONG_TARGET):
        unit = units[target]
        # the same target scored as plain text: its findings, no source
        alone = score_text(target, repair.analyse(target, grammar="none").findings).document
        assert unit["source_points"] > 0
        assert unit["garble_score"] > alone
        assert abs(unit["garble_score"] - unit["source_points"] - alone) < 0.15


def test_source_features_and_shift():
    copied = source_features(RO_SOURCE, RO_TARGET, "ro")
    assert set(copied) == set(FEATURES)
    assert copied["copied_rate"] > 0 and copied["copied_words"] > 0 and copied["len_long"] < 2
    long = source_features(LONG_SOURCE, LONG_TARGET, "ro")
    assert long["len_long"] > 3 and long["copied_rate"] == 0
    numbers = source_features("Am cumpărat 3 mere și 5 pere de la piață.", "I bought 4 apples and 5 pears at the market.",
                              "ro")
    assert numbers["num_extra"] == 1 and numbers["num_missing"] == 0  # 3 -> 4 is one different number
    fine = "The train leaves at eight o'clock."
    assert 0 <= source_shift(LONG_SOURCE, fine, "ro") < 0.01
    assert source_shift(LONG_SOURCE, LONG_TARGET, "ro") > 0
    assert source_shift(None, fine) is None and source_shift("  ", fine) is None
    assert source_shift("menu.open", "Open the file") is None  # a key, not a source text
    # every term is 0 at its first point and never decreases: a source only ever adds
    for spec in load_source_model().numeric.values():
        assert spec["y"][0] == 0 and all(a <= b for a, b in zip(spec["y"], spec["y"][1:]))


def test_without_a_source_the_score_is_the_monolingual_one():
    model = load_model()
    feats = sentence_features(LONG_TARGET)
    assert model.score(feats, 0.0) == model.score(feats)
    assert model.score(feats, 0.1) > model.score(feats)
    text = "First paragraph of plain text.\n\nA second one, with more words in it than the first."
    assert score_text(text) == score_text(text, shifts=[None, 0.0])


def test_a_target_that_is_not_english_gets_no_source_points(tmp_path):
    text = PO.replace('"Language: en\\n"', '"Language: de\\n"')
    units = metrics(po_file(tmp_path, text))["units"]
    assert all(u["source_points"] is None for u in units)


def test_score_table_shows_units_with_source_and_target(tmp_path):
    result = CliRunner().invoke(main, ["score", "--grammar", "none", "--paragraphs", po_file(tmp_path)])
    assert result.exit_code == 0, result.output
    out = result.output
    assert "[menu]" in out and "source: Deschide fișierul" in out and "target: Open the file" in out
    assert "msgctxt" not in out and "msgid" not in out  # the file's syntax is not a paragraph


def test_check_metrics_and_report_show_units(tmp_path):
    path = po_file(tmp_path)
    result = CliRunner().invoke(main, ["check", "--grammar", "none", "--metrics", "--format", "json", path])
    assert result.exit_code in (0, 1), result.output
    assert [u["text"] for u in json.loads(result.stdout)["files"][0]["metrics"]["units"]][0] == "Open the file"
    out = tmp_path / "page.html"
    result = CliRunner().invoke(main, ["report", "--grammar", "none", "-o", str(out), path])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    assert 'class="unit">[menu] · source: Deschide fișierul' in page
    assert page.count('class="para"') == 5


def test_xliff_inline_codes_are_not_words(tmp_path):
    xlf = '''<?xml version="1.0" encoding="UTF-8"?>
<xliff version="1.2" xmlns="urn:oasis:names:tc:xliff:document:1.2">
  <file source-language="ro" target-language="en" datatype="plaintext" original="a">
    <body>
      <trans-unit id="t1">
        <source>Apăsați <g id="1">aici</g> pentru a continua.</source>
        <target>Press <g id="1">here</g> to continue.</target>
      </trans-unit>
    </body>
  </file>
</xliff>
'''
    units = metrics(po_file(tmp_path, xlf, "a.xlf"))["units"]
    assert [(u["id"], u["words"]) for u in units] == [("t1", 4)]
    assert units[0]["garble_score"] == round(score_text("Press here to continue.").document, 1)


def test_sentences_of_units_have_file_offsets(tmp_path):
    path = po_file(tmp_path)
    m = metrics("--sentences", path)
    text = open(path, encoding="utf-8").read()
    assert [text[s["start"]:s["end"]] for s in m["sentences"]][:3] == ["Open the file", RO_TARGET, LONG_TARGET]


def test_a_russian_saying_raises_only_a_cyrillic_source():
    from repair.score.source import saying

    assert saying("Ленивый три раза ходит, а скупой три раза платит.") == 1.0  # "..., а ...": a saying
    assert saying("Редко, да метко.") == 1.0
    assert saying("Не удалось открыть файл, повторите попытку.") == 0.5   # two clauses, no conjunction of sayings
    assert saying("Файл сохранён.") == 0.0                                # one clause
    assert saying("Что делать, если гнобит брат?") == 0.0                 # a question
    assert saying("В 1955 году школа переехала, а потом закрылась.") == 0.0  # digits: not a saying
    target = "The lazy walks three times, and the stingy pays three times."
    ru = source_features("Ленивый три раза ходит, а скупой три раза платит.", target, "ru")
    assert ru["saying"] == 1.0
    # the same shape in a Latin-script source is not the term's business
    assert source_features("Leneșul merge de trei ori, iar zgârcitul plătește de trei ori.", target, "ro")["saying"] == 0
    model = load_source_model()
    assert "saying" in model.numeric  # fitted on MLQE-PE train (ru-en)
    plain = dict(ru, saying=0.0)
    assert model.shift(ru) > model.shift(plain)
