"""The garble score's model: monotone piecewise-linear functions of the features, read from
``repair/data/score_model.json`` (see :mod:`repair.score`)."""
from __future__ import annotations

import bisect
import functools
import json
from dataclasses import dataclass, field
from typing import Any, Sequence

from .features import MODEL_PATH

# --- model --------------------------------------------------------------------------------


def _interp(xs: Sequence[float], ys: Sequence[float], x: float) -> float:
    if x <= xs[0]:
        return ys[0]
    if x >= xs[-1]:
        return ys[-1]
    i = bisect.bisect_right(xs, x)
    x0, x1 = xs[i - 1], xs[i]
    return ys[i - 1] + (ys[i] - ys[i - 1]) * (x - x0) / (x1 - x0) if x1 > x0 else ys[i]


@dataclass(frozen=True)
class Model:
    """``pred = intercept + sum(f_name(x_name)) + sum(weight[key] * value)``: each ``f`` is
    piecewise linear through the points ``numeric[name] = {"x": [...], "y": [...]}``
    (constant outside them); finding keys enter linearly. ``score`` is
    ``100 * calibrate(text part)`` clipped to 0..100, plus the findings' part in points."""

    intercept: float
    numeric: dict[str, dict[str, list[float]]]
    keys: dict[str, float]
    meta: dict[str, Any] = field(default_factory=dict)
    calibration: tuple[tuple[float, float], ...] = ()  # (prediction, 0..1), increasing

    def predict_text(self, feats: dict[str, float]) -> float:
        """The prediction from the numeric (text) features alone."""
        total = self.intercept
        for name, spec in self.numeric.items():
            total += _interp(spec["x"], spec["y"], feats.get(name, 0.0))
        return total

    def predict_findings(self, feats: dict[str, float]) -> float:
        """The findings' share of the prediction (finding keys enter linearly)."""
        total = 0.0
        for key, w in self.keys.items():
            value = feats.get(key)
            if value:
                total += w * value
        return total

    def predict(self, feats: dict[str, float]) -> float:
        return self.predict_text(feats) + self.predict_findings(feats)

    def calibrate(self, pred: float) -> float:
        """Piecewise-linear, monotone map from the prediction to 0..1 (clamped at the ends)."""
        table = self.calibration
        if not table:
            return pred
        return _interp([x for x, _ in table], [y for _, y in table], pred)

    def points_per_unit(self) -> float:
        """Score points per unit of prediction (the calibration's overall slope)."""
        (x0, y0), (x1, y1) = self.calibration[0], self.calibration[-1]
        return 100.0 * (y1 - y0) / (x1 - x0) if len(self.calibration) >= 2 and x1 > x0 else 100.0

    def score(self, feats: dict[str, float], shift: float = 0.0) -> float:
        """The text's score (0..100), plus the findings' points on top: a finding counts in
        full even in a sentence that otherwise looks cleaner than the scale's zero. ``shift`` is
        added to the text prediction before calibration (the source's terms,
        :mod:`repair.score.source`; 0 without a source)."""
        pred = self.predict_text(feats)
        text = max(0.0, min(100.0, 100.0 * self.calibrate(pred + shift if shift else pred)))
        return min(100.0, text + self.points_per_unit() * self.predict_findings(feats))

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> "Model":
        if data.get("version") != 2:
            raise ValueError(f"unknown score model version {data.get('version')!r}")
        return cls(float(data["intercept"]), data["numeric"], data["keys"], data.get("meta", {}),
                   tuple((float(x), float(y)) for x, y in data.get("calibration", ())))


@functools.lru_cache(maxsize=4)
def load_model(path: str = MODEL_PATH) -> Model:
    with open(path, encoding="utf-8") as fh:
        return Model.from_json(json.load(fh))
