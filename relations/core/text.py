"""Name normalisation shared by every model that can be searched by name.

A record's ``search_key`` holds each of its name forms transliterated to ASCII
(anyascii), lower-cased, once with words separated by single spaces and once
with every separator removed. A query is normalised the same way, so
"Al Sada", "Al-Sada" and "Alsada" all find "Ibrahim Hashim Al Sada", and a
Cyrillic query finds the Latin spelling of the same name.
"""

import re

from anyascii import anyascii

_SEPARATORS = re.compile(r"[^a-z0-9]+")


def _ascii(text: str) -> str:
    return anyascii(text or "").lower()


def build_search_key(*forms: str) -> str:
    """Return the stored search key for a record with these name forms.

    Each form may hold several names, one per line (alternative names).
    """
    spaced: list[str] = []
    compact: list[str] = []
    for form in forms:
        for line in (form or "").splitlines():
            words = _SEPARATORS.sub(" ", _ascii(line)).strip()
            if words and words not in spaced:
                spaced.append(words)
                compact.append(words.replace(" ", ""))
    return " | ".join(spaced + compact)


def search_terms(query: str) -> list[str]:
    """Split a free-text query into normalised terms that must all match.

    Whitespace separates terms; punctuation inside a term is dropped, so
    "Al-Sada" is the single term "alsada".
    """
    terms = []
    for chunk in (query or "").split():
        term = _SEPARATORS.sub("", _ascii(chunk))
        if term:
            terms.append(term)
    return terms
