"""The version of ungarble (read by the build: ``[tool.hatch.version]`` in pyproject.toml).

A module of its own at the bottom of the layers, so that a check source can name the version
(LanguageTool's user agent) without importing the package face (:mod:`repair`, the library API).
"""
__version__ = "0.1.0"
