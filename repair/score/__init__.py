"""The garble score: 0 (clean) to 100 (unreadable) for each sentence, paragraph and document.

A sentence's score is an additive model over cheap features, fitted on the MLQE-PE train
split (all five language pairs together, so one model for any text) to rank sentences by
HTER, the share of words a human post-editor changed (the target is the sentence's HTER
quantile within its language pair, so the model learns what makes one sentence worse than
another rather than which language it came from). A share of the post-edits joins the fit as
edited English with the target of an untouched translation, so that the model also sees
what clean English looks like. Features (see :func:`sentence_features`):

* **edit rates**: how often post-editors changed each English word, and each word pair,
  when machine translation produced it (``repair/data/edit_rates.tsv``, counted on the
  MLQE-PE train split by ``training/fit_score.py``; residual to each language pair's own
  rate, smoothed towards the overall rate; only words of the English frequency list and
  token classes such as ``<unkcap>`` or ``<num>``, never a name or a sentence). A sentence
  made of words editors keep scores low, one full of MT-ese or of word pairs they rewrite
  scores high. This is the strongest single signal.
* **fluency** from word and word-pair frequencies (the English unigram and bigram lists
  shipped in the ``symspellpy`` wheel): unknown-word rates, rarity, word pairs that should
  be frequent but are absent, a backoff bigram language model, function-word balance;
* **repetition** (repeated words and n-grams, loops), **fragments** (no final
  punctuation, lower-case start, very short), **wrong script** (share of non-Latin
  letters), **unbalanced quotes and brackets**, odd punctuation, digits;
* **article shapes** (:func:`article_features`): the share of "the", genitive chains and
  short sentences without a name, the marks of translation from languages without articles
  (added for ru-en, whose worst rows are word-by-word renderings of proverbs);
* **findings** of the rule packs, counted by rule id and dotted prefix. The rule packs
  rarely fire on MLQE-PE, so rules without enough support there keep a prior weight stated
  in the model (``meta.key_priors``); boilerplate, grammar-checker (Harper, LanguageTool)
  and readability findings never count: the score is the same whatever ``--grammar`` is,
  and scraped captions are not language garble.

Every numeric feature enters through a monotone non-decreasing piecewise-linear function
(knots at training quantiles, non-negative steps), oriented so that larger is more
suspicious: plain style (short common words, simple sentences) never raises a score. The
fitted functions are plain JSON in ``repair/data/score_model.json`` (written by
``training/fit_score.py``); evaluating the model needs nothing but Python.

The scale is linear in the model's prediction: 0 where a quarter of the 35,000 training
translations lie (raw MT that looks this clean or cleaner), 100 at the worst half percent
of them; clipped to 0..100.

Paragraph and document scores weight the worst sentences: the mean of a length-weighted
cubic mean and the mean of the worst fifth of the sentences (see :func:`aggregate`), plus
the **findings term** (see :func:`finding_points`): every finding of the rule packs and the
encoding check in the paragraph or document, boilerplate and duplicates included, adds
points by severity per 100 words. The sentence model alone tells clean English from machine
translation only weakly (it ranks translations by post-editing effort, and reads vocabulary
that MT often gets wrong, digits and dialogue punctuation as risk: clean 300-word documents
average 30, MLQE-PE dev MT documents 36); the findings are what separates garbled text from
clean text, so they weigh at document level whatever the sentences say.

The package: :mod:`repair.score.features` (lexicon, edit rates, sentence features),
:mod:`repair.score.model` (the fitted functions) and :mod:`repair.score.aggregation` (scoring a
text: sentences, paragraphs, document); the JSON figures a report shows are built in
:mod:`repair.report.metrics`.
"""
from __future__ import annotations

from .features import (  # noqa: F401
    DATA, EditRates, FINDING_MAX_POINTS, FINDING_MIN_WORDS, FINDING_POINTS, IGNORED_PREFIXES, IGNORED_SOURCES, Lexicon, MODEL_PATH, RATES_PATH, _ARTICLES, _AUXILIARIES, _FINAL_PUNCT, _ODD_PUNCT, _OPEN_CLOSE, _PLAIN_PUNCT, _RATE_PUNCT, _RATE_TOKEN, _TOKEN, _is_latin_letter, _repeat_rule, counts_in_document, edit_rate_features, edit_rates, finding_features, finding_keys, finding_points, legitimate_repeat, lexicon, rate_key, rate_keys, read_rates, sentence_features, text_features, article_features,
)
from .model import (  # noqa: F401
    Model, _interp, load_model,
)
from .aggregation import (  # noqa: F401
    BOILERPLATE_WEIGHT, Scored, Scores, _overlapping, _readability_findings, aggregate, findings_for_score, score_text, sentence_text_score,
)
