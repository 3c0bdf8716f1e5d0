"""Bilingual translation files (groundwork for issue 14): parse a PO/POT, XLIFF 1.2/2.0, TMX, CSV,
TSV or JSON Lines file into units with unescaped source and target strings and a map from each target
character to the file, and splice changed targets back into the original text without touching
anything else. Not wired to the pipeline or the CLI yet."""
from .units import BilingualDocument, BilingualFormatError, PositionMap, RawPiece, Unit

__all__ = ["BilingualDocument", "BilingualFormatError", "PositionMap", "RawPiece", "Unit"]
