"""Plain text: everything is prose; suppression comments in any style. The default format."""
from __future__ import annotations

from dataclasses import dataclass

from . import register
from .base import InputFormat


@dataclass(frozen=True)
class PlainText(InputFormat):
    pass


PLAIN = register(PlainText("plain", "Plain text: everything is prose (the default for any other suffix).",
                           extensions=(".txt",), include=("*.txt",)))
