"""ungarble: find and repair garbled English text.

>>> import repair
>>> repair.fix("They didnâ€™t arrive at the at the port.", grammar="none")
'They didn’t arrive at the port.'
"""
from .api import analyse, check, fix
from .model import Document, Edit, Finding, Span
from .options import Options
from .pipeline import Result
from .version import __version__

__all__ = ["analyse", "check", "fix", "Options", "Result", "Finding", "Edit", "Span", "Document"]
