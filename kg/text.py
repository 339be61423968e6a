"""Text matching for people's input: Unicode normalisation, case folding, substring search, words.

SPARQL has no Unicode normalisation, so matching a label or a free-text query against the graph's
text happens here, on both sides normalised the same way.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_WORD = re.compile(r"[a-z][a-z0-9]+")
_STOPWORDS = frozenset("""
about after also among and are based been being between both but can city cities could data each
every first for from has have into its it more most much new not one only other over such than that
the their them then there these they this those through to two under use used uses using was well
were what when where which while who will with within would year years
""".split())


def normalise(text: str) -> str:
    """The text in NFKC, case-folded, with runs of whitespace made one space.

    >>> normalise("  Ｌｏｓ   ANGELES ")
    'los angeles'
    >>> normalise("\u1109\u1165\u110b\u116e\u11af") == normalise("서울")  # decomposed Hangul jamo
    True
    """
    return " ".join(unicodedata.normalize("NFKC", text).casefold().split())


def matches(query: str, texts: Iterable[str]) -> bool:
    """Whether every word of ``query`` occurs, as a substring, in one of ``texts``.

    A Korean word inside a longer Korean phrase matches: this is substring search, not tokens.

    >>> matches("도시 curb", ["LA 도로 연석 공간계획관리", "Code the Curb", "도시계획"])
    True
    >>> matches("도시 bike", ["도시계획", "Code the Curb"])
    False
    """
    haystack = "\n".join(normalise(text) for text in texts)
    return all(term in haystack for term in normalise(query).split())


def content_words(text: str) -> set[str]:
    """The content words of an English text: lower-case, four letters or more, no stop words,
    a plural ``s`` dropped.

    >>> sorted(content_words("Sensors measure the noise of New York streets"))
    ['measure', 'noise', 'sensor', 'street', 'york']
    """
    words = set()
    for word in _WORD.findall(normalise(text)):
        if len(word) < 4 or word in _STOPWORDS:
            continue
        words.add(word[:-1] if word.endswith("s") and not word.endswith("ss") else word)
    return words
