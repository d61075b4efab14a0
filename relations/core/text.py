"""Name normalisation shared by every model that can be searched by name.

A record's ``search_key`` holds each of its name forms transliterated to ASCII
(anyascii), lower-cased, once with words separated by single spaces and once
with every separator removed. A query is normalised the same way, so
"Al Sada", "Al-Sada" and "Alsada" all find "Ibrahim Hashim Al Sada", and
"Ачилова" finds "Achilova" (and the other way round).

Arabic script needs one more step: it writes consonants and long vowels only,
so "السادة" transliterates to "lsdh", which no Latin spelling contains. The key
therefore also holds a consonant *skeleton* of every word, between tildes
("~sd~" for "Sada", "السادة" and "Al-Sada" alike: article, vowels, hamza,
ta marbuta and doubled letters dropped). A query word written in Arabic script
matches a record through that skeleton; a Latin or Cyrillic word keeps the
exact (substring) match, so "Sada" does not start finding every "Sayed".
"""

import re

from anyascii import anyascii

_SEPARATORS = re.compile(r"[^a-z0-9]+")
_ARABIC = re.compile(r"[\u0600-\u06ff\u0750-\u077f\ufb50-\ufdff\ufe70-\ufeff]")

# Arabic folding before transliteration: diacritics and tatweel go; every alef
# and hamza seat becomes a bare alef (a vowel, dropped later); ta marbuta and
# alef maqsura are vowels in Latin spellings ("Sada", "Mustafa").
_ARABIC_FOLD = str.maketrans(
    {
        **{chr(c): None for c in range(0x064B, 0x0653)},  # fathatan .. sukun
        "\u0670": None,  # superscript alef
        "\u0640": None,  # tatweel
        "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا",
        "ؤ": "", "ئ": "", "ء": "",
        "ة": "", "ى": "",
    }
)
_ARABIC_ARTICLE = re.compile(r"^(?:ال|لل)(?=\w{2,})")
_LATIN_ARTICLE = re.compile(r"^(?:al|el)(?=[a-z]{3,})")
_VOWELS = re.compile(r"[aeiouyw]")
_DOUBLES = re.compile(r"(.)\1+")


def _ascii(text: str) -> str:
    return anyascii(text or "").lower()


def _skeleton(word: str) -> str:
    """The consonant skeleton of one word, in any script: "السادة", "Sada", "Al-Sada" -> "sd"."""
    if _ARABIC.search(word):
        word = _ARABIC_ARTICLE.sub("", word.translate(_ARABIC_FOLD))
        latin = _SEPARATORS.sub("", _ascii(word))
    else:
        latin = _LATIN_ARTICLE.sub("", _SEPARATORS.sub("", _ascii(word)))
    latin = latin.replace("x", "ks").replace("q", "k")
    return _DOUBLES.sub(r"\1", _VOWELS.sub("", latin))


def build_search_key(*forms: str) -> str:
    """Return the stored search key for a record with these name forms.

    Each form may hold several names, one per line (alternative names).
    """
    spaced: list[str] = []
    compact: list[str] = []
    skeletons: list[str] = []
    for form in forms:
        for line in (form or "").splitlines():
            words = _SEPARATORS.sub(" ", _ascii(line)).strip()
            if words and words not in spaced:
                spaced.append(words)
                compact.append(words.replace(" ", ""))
            for word in line.split():
                for part in re.split(r"[-\u2010-\u2015]", word):
                    skeleton = _skeleton(part)
                    if len(skeleton) > 1 and f"~{skeleton}~" not in skeletons:
                        skeletons.append(f"~{skeleton}~")
    return " | ".join(spaced + compact + ([" ".join(skeletons)] if skeletons else []))


def search_alternatives(query: str) -> list[tuple[str, ...]]:
    """Split a free-text query into terms that must all match the search key.

    Each term is a tuple of substrings, any of which is a match. Whitespace
    separates terms; punctuation inside a term is dropped, so "Al-Sada" is the
    single term "alsada". A word in Arabic script also matches through its
    consonant skeleton (see the module docstring).
    """
    terms = []
    for chunk in (query or "").split():
        term = _SEPARATORS.sub("", _ascii(chunk))
        if not term:
            continue
        alternatives = [term]
        if _ARABIC.search(chunk):
            skeleton = _skeleton(chunk)
            if len(skeleton) > 1:
                alternatives.append(f"~{skeleton}~")
        terms.append(tuple(alternatives))
    return terms



def compact_form(text: str) -> str:
    """One name form as it appears, separators removed, in the compact part of a search key."""
    return _SEPARATORS.sub("", _ascii(text))
