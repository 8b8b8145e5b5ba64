"""Readable details for specificity reasons: which event, which mutual contact.

The vectorised signals say *that* a note mentions an event or a mutual contact; for the
notes that do, a small regex pass over the note's own text pulls out the name a person
would recognise ("PMI Cleveland dinner", "Maria Rossi").
"""

from __future__ import annotations

import re

_UP = "A-ZÀ-ÖØ-ÞĀ-ſ"  # upper-case Latin letters (the odd lower-case extended letter is harmless)
_NAME_WORD = rf"[{_UP}0-9][\w&'’.-]*"
_LINK = r"(?:of|on|for|and|de|du|des|la|le|del|der|die|das|di|van|von|&)"
_NAME_RUN = rf"{_NAME_WORD}(?:\s+(?:{_LINK}\s+)?{_NAME_WORD}){{0,5}}"
_EVENT_NOUNS = (
    "dinner|lunch|breakfast|conference|meetup|meet-up|summit|workshop|hackathon|panel|keynote|"
    "session|talk|expo|fair|trade show|congress|symposium|retreat|offsite|reception|gala|"
    "bootcamp|convention|forum|roundtable|seminar|booth|chapter meeting|mixer|happy hour|bbq|"
    "barbecue|reunion|konferenz|tagung|messe|abendessen|stammtisch|kongress|vortrag|treffen|"
    "conférence|salon|dîner|déjeuner|colloque|atelier|congrès|soirée|conferencia|congreso|cena|"
    "jornada|taller|feria|charla|conferência|congresso|jantar|palestra|conferenza|convegno|fiera|"
    "congres|conferentie|diner|beurs|borrel|konferens|middag|konferencja|konferans"
)
_EVENT_AFTER_NAME = re.compile(rf"\b((?:{_NAME_RUN})\s+(?:{_EVENT_NOUNS}))\b")
_NOUN_THEN_NAME = re.compile(
    rf"\b((?:{_EVENT_NOUNS})\s+(?:at|in|on|of|de|in der|bei|à|en|di|op|w)\s+{_NAME_RUN})", re.I
)
_AT_NAME = re.compile(
    rf"\b(?:at|during|after|from|auf|bei|nach|à|au|lors de|en|durante|na|no|al|op|på|na)\s+"
    rf"(?:the\s+|der\s+|dem\s+|la\s+|le\s+|el\s+|il\s+|o\s+|a\s+)?({_NAME_RUN})"
)
_STOP_EVENT = {"I", "LinkedIn", "Linkedin", "Hi", "Hello", "Thanks"}

_PERSON = rf"[{_UP}][\w'’-]+(?:\s+(?:van|von|de|da|di|del|der|le|la)?\s*[{_UP}][\w'’-]+){{1,2}}"
_MUTUAL_PATTERNS = [
    re.compile(
        rf"\b({_PERSON})\s+(?:suggested|recommended|mentioned|told|introduced|said|gave|pointed|"
        rf"passed|thought|put|says|hat|m['’]a|nous a|me|mi|ci|heeft|vertelde|tipsade|polecił|"
        rf"poleciła|lässt)\b"
    ),
    re.compile(
        rf"\b(?:friend|colleague|cousin|sister|brother|via|through|von|de la part de|de parte de|"
        rf"ami|amie|amigo|amiga|amico|amica|vriend|vriendin|Freund|Freundin|Kollege|Kollegin)\s+"
        rf"(?:of\s+|of mine,\s+|von\s+|de\s+|di\s+|van\s+|,\s*)?({_PERSON})"
    ),
]


def event_name(text: str) -> str | None:
    """The name of the shared event a note mentions, if one can be read off the text."""
    for pattern in (_EVENT_AFTER_NAME, _NOUN_THEN_NAME, _AT_NAME):
        for m in pattern.finditer(text):
            name = _trim(m.group(1))
            if name and name.split()[0] not in _STOP_EVENT:
                return name
    return None


def mutual_contact(text: str) -> str | None:
    """The name of a mutual contact a note mentions, if one can be read off the text."""
    for pattern in _MUTUAL_PATTERNS:
        m = pattern.search(text)
        if m:
            name = _trim(m.group(1))
            if name and name.split()[0] not in _STOP_EVENT:
                return name
    return None


def _trim(name: str) -> str:
    name = name.strip(" .,;:!?'’\"")
    words = name.split()
    while words and words[0].lower() in {"the", "my", "our", "your", "a", "an"}:
        words.pop(0)
    return " ".join(words[:7])
