"""Finding the pinyin annotations a converter left in a source text.

Some Traditional-script pages reach us through a converter that writes each
character's reading after it: "會(huì)議", "產(chǎn)業(yè)". Those parentheses are noise;
"(記者 楊鳴宇 整理)" or "(AAA)" are real text and must stay. A parenthesis
is an annotation only when it follows a CJK character and holds exactly one
lowercase pinyin syllable that either carries a tone mark, or is a valid
toneless syllable (neutral tone: de, le, me...) in a document that also holds
tone-marked annotations.

When the converter ate the character itself, only "?fù)" is left: the
character is lost, so the group becomes one placeholder □ rather than a
guessed character.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

GARBLED_MARK = "\u25a1"  # □: a character the converter lost

_SYLLABLES_BY_INITIAL = {
    "": "a ai an ang ao e ei en eng er o ou",
    "b": "a ai an ang ao ei en eng i ian iao ie in ing o u",
    "p": "a ai an ang ao ei en eng i ian iao ie in ing o ou u",
    "m": "a ai an ang ao e ei en eng i ian iao ie in ing iu o ou u",
    "f": "a an ang ei en eng o ou u",
    "d": "a ai an ang ao e ei en eng i ia ian iao ie ing iu ong ou u uan ui un uo",
    "t": "a ai an ang ao e ei eng i ian iao ie ing ong ou u uan ui un uo",
    "n": "a ai an ang ao e ei en eng i ian iang iao ie in ing iu ong ou u uan un uo ü üe",
    "l": "a ai an ang ao e ei eng i ia ian iang iao ie in ing iu o ong ou u uan un uo ü üe",
    "g": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "k": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "h": "a ai an ang ao e ei en eng ong ou u ua uai uan uang ui un uo",
    "j": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "q": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "x": "i ia ian iang iao ie in ing iong iu u uan ue un",
    "zh": "a ai an ang ao e ei en eng i ong ou u ua uai uan uang ui un uo",
    "ch": "a ai an ang ao e en eng i ong ou u ua uai uan uang ui un uo",
    "sh": "a ai an ang ao e ei en eng i ou u ua uai uan uang ui un uo",
    "r": "an ang ao e en eng i ong ou u ua uan ui un uo",
    "z": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "c": "a ai an ang ao e ei en eng i ong ou u uan ui un uo",
    "s": "a ai an ang ao e en eng i ong ou u uan ui un uo",
    "y": "a an ang ao e i in ing o ong ou u uan ue un",
    "w": "a ai an ang ei en eng o u",
}
# Syllabic nasals and interjections (嗯 ń, 呣 m, 哼 hng).
_INTERJECTIONS = ("m", "n", "ng", "hm", "hng")

PINYIN_SYLLABLES: frozenset[str] = frozenset(
    [initial + final for initial, finals in _SYLLABLES_BY_INITIAL.items() for final in finals.split()]
    + list(_INTERJECTIONS)
)
"""The standard toneless pinyin syllables, with ü written as ü."""

_TONE_MARKS = frozenset("\u0304\u0301\u030c\u0300")  # macron, acute, caron, grave
_LATIN = r"a-z\u00e0-\u024f\u1e00-\u1eff\u0300-\u036f"
_CJK = r"\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\U00020000-\U0003134f"

_ANNOTATION = re.compile(rf"(?<=[{_CJK}])[(（]([{_LATIN}]{{1,7}})[)）]")
_GARBLED = re.compile(rf"[?？\ufffd]([{_LATIN}]{{1,7}})[)）]")


@dataclass(frozen=True)
class Reading:
    """What a parenthesised word is, read as pinyin."""

    syllable: str  # toneless, ü kept
    toned: bool


def read_syllable(word: str) -> Reading | None:
    """The toneless syllable ``word`` spells, or None when it is not pinyin.

    Only lowercase words count: converters write readings in lowercase, and
    capitals ("(A)", "(PPP)") are real text.
    """
    decomposed = unicodedata.normalize("NFD", word)
    toned = any(mark in _TONE_MARKS for mark in decomposed)
    bare = "".join(ch for ch in decomposed if ch not in _TONE_MARKS)
    bare = unicodedata.normalize("NFC", bare).replace("v", "ü")
    if bare != bare.lower() or not bare.isalpha():
        return None
    if sum(1 for ch in decomposed if ch in _TONE_MARKS) > 1:
        return None
    if bare not in PINYIN_SYLLABLES and bare.replace("ue", "üe") not in PINYIN_SYLLABLES:
        return None
    return Reading(bare, toned)


@dataclass(frozen=True)
class PinyinCleaning:
    """Text with annotations removed, and what was done."""

    text: str
    annotations_removed: int
    garbled_marked: int


def _has_toned_annotation(text: str) -> bool:
    for pattern in (_ANNOTATION, _GARBLED):
        for match in pattern.finditer(text):
            reading = read_syllable(match.group(1))
            if reading is not None and reading.toned:
                return True
    return False


def remove_pinyin_annotations(text: str) -> PinyinCleaning:
    """Drop converter readings after characters; mark eaten characters with □."""
    allow_toneless = _has_toned_annotation(text)

    def is_annotation(word: str) -> bool:
        reading = read_syllable(word)
        return reading is not None and (reading.toned or allow_toneless)

    removed = 0
    garbled = 0

    def drop(match: re.Match[str]) -> str:
        nonlocal removed
        if not is_annotation(match.group(1)):
            return match.group(0)
        removed += 1
        return ""

    def mark(match: re.Match[str]) -> str:
        nonlocal garbled
        if not is_annotation(match.group(1)):
            return match.group(0)
        garbled += 1
        return GARBLED_MARK

    text = _GARBLED.sub(mark, text)
    text = _ANNOTATION.sub(drop, text)
    return PinyinCleaning(text, removed, garbled)
