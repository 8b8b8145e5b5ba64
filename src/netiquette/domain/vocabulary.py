"""The words of the practice (design.md, "Vocabulary"), as constants."""

from __future__ import annotations

STRANGER, RECOGNIZED, ACQUAINTED, KNOWN = "stranger", "recognized", "acquainted", "known"
FAMILIARITIES = (STRANGER, RECOGNIZED, ACQUAINTED, KNOWN)

INCOMING, OUTGOING = "incoming", "outgoing"
DIRECTIONS = (INCOMING, OUTGOING)

NATIVE, LINKEDIN, EMAIL, MANUAL = "native", "linkedin", "email", "manual"
CHANNELS = (NATIVE, LINKEDIN, EMAIL, MANUAL)

INQUIRE, CONVERSE, ACCEPT, DECLINE, REVIEW = "inquire", "converse", "accept", "decline", "review"
PATHS = (INQUIRE, CONVERSE, ACCEPT, DECLINE, REVIEW)

SEND_INQUIRY, PROPOSE_CALL, SEND_FOLLOWUP = "send_inquiry", "propose_call", "send_followup"
ACTION_KINDS = (SEND_INQUIRY, DECLINE, PROPOSE_CALL, ACCEPT, SEND_FOLLOWUP, REVIEW)

GENERIC, PERSONAL = "generic", "personal"
VERDICTS = (GENERIC, PERSONAL)


def familiarity_rank(level: str) -> int:
    return FAMILIARITIES.index(level)
