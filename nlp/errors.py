"""Errors of the ``nlp`` package. Each has a code and says what was expected and what was found."""

from __future__ import annotations


class NlpError(Exception):
    """Base class; ``code`` is stable and searchable (E-NLP-xxx)."""

    code = "E-NLP-000"

    def __init__(self, message: str) -> None:
        super().__init__(f"[{self.code}] {message}")


class DataFileError(NlpError):
    """A shipped or user-supplied data file is missing or malformed."""

    code = "E-NLP-001"


class UnsupportedLanguageError(NlpError):
    """A pipeline was requested for a language npswatch has no pipeline for."""

    code = "E-NLP-002"


class RatesError(NlpError):
    """An exchange-rate file is malformed or has no rate for a currency."""

    code = "E-NLP-003"


class PipelineOrderError(NlpError):
    """A component runs before another one that assigns what it reads."""

    code = "E-NLP-004"
