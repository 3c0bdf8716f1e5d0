"""Markdown (CommonMark plus GFM tables and strikethrough, parsed by repair.markdown): code,
HTML, link targets, front matter and other markup are protected; suppression directives are HTML
comments, and not inside code; HTML entities are Markdown syntax."""
from __future__ import annotations

from dataclasses import dataclass

from ..model import Span
from . import register
from .base import InputFormat


@dataclass(frozen=True)
class Markdown(InputFormat):
    def protected(self, text: str) -> list[Span]:
        from ..markdown import protected_spans

        return protected_spans(text)

    def examples(self, text: str) -> list[Span]:
        from ..markdown import code_spans

        return code_spans(text)


MARKDOWN = register(Markdown("markdown", "Markdown: prose is checked, code and markup are left alone.",
                             extensions=(".md", ".markdown"), include=("*.md",), directives=("html",),
                             markup="markdown", entities_are_markup=True, chunkable=False))
