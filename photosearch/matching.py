"""Which terminal message a photo shows, from the noisy text Tesseract read.

Typed queries go through ``troubleshooting.search``; text read off a photo has other faults:
look-alike characters (0/O, 1/l/I, 5/S), lost or added punctuation, a message broken over the
screen's lines (and words split or joined there), and stray characters from icons, the status
bar and the OK button. Both sides are folded to one character per look-alike group, and each
message is compared with the stretch of the read text that resembles it most, spaces left out.
"""

from __future__ import annotations

from dataclasses import dataclass
from difflib import SequenceMatcher

from troubleshooting.models import TerminalMessage
from troubleshooting.search import normalize

# A message this similar to some stretch of the read text is taken as the one on the screen.
MATCH_THRESHOLD = 0.75
# Characters OCR takes for one another, folded to one representative on both sides.
LOOK_ALIKES = str.maketrans({"0": "o", "1": "l", "i": "l", "5": "s", "8": "b", "2": "z"})


@dataclass(frozen=True)
class MessageMatch:
    message: TerminalMessage
    similarity: float


def folded(text: str) -> list[str]:
    """The words of ``text`` with look-alike characters made one: "Attacked!" -> ["attackeb"]."""
    return normalize(text).replace("rn", "m").translate(LOOK_ALIKES).split()


def phrase_in_text(phrase: list[str], text: list[str]) -> float:
    """How well the words of ``phrase`` appear, in order, somewhere in ``text`` (0 to 1)."""
    if not phrase or not text:
        return 0.0
    wanted = "".join(phrase)
    best = 0.0
    # A window of about as many words as the phrase: OCR splits and joins words.
    for size in range(max(1, len(phrase) - 2), len(phrase) + 3):
        for start in range(max(1, len(text) - size + 1)):
            window = "".join(text[start : start + size])
            matcher = SequenceMatcher(None, wanted, window, autojunk=False)
            if matcher.real_quick_ratio() > best and matcher.quick_ratio() > best:
                best = max(best, matcher.ratio())
    return best


def message_matches(*, text: str, language: str) -> list[MessageMatch]:
    """The terminal messages of ``language`` found in the read text, best first."""
    words = folded(text)
    if not words:
        return []
    candidates = TerminalMessage.objects.filter(
        language=language, article__hidden=False
    ).select_related("article")
    found = []
    for message in candidates:
        similarity = phrase_in_text(folded(message.text), words)
        if similarity >= MATCH_THRESHOLD:
            found.append(MessageMatch(message, similarity))
    found.sort(key=lambda match: (-match.similarity, match.message.order))
    return found
