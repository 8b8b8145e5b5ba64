"""The reading layer of imports: pure, streaming, no database.

Entry points: :func:`open_export` (LinkedIn export zip, folder or CSV),
:func:`read_vcard`, :func:`read_contacts_csv`; records and errors in
:mod:`.records`; identity helpers in :mod:`.identity`; the interface in :mod:`.base`.

The address-book readers (and vobject behind them) load on first use, so a
LinkedIn import does not pay for them.
"""

from typing import Any

from .base import Importer, TableImporter, external_key
from .identity import likely_same, name_key, name_similarity, normalize_name, profile_slug
from .linkedin import LinkedInExport, LinkedInImporter, open_export
from .records import (
    BadRow,
    ConnectionRecord,
    ContactRecord,
    ImportRejected,
    InvitationRecord,
    MessageRecord,
    ProfileRecord,
    Record,
)
from .sources import Limits

_ADDRESSBOOK = frozenset({"parse_mapping", "read_contacts_csv", "read_vcard"})


def __getattr__(name: str) -> Any:
    if name in _ADDRESSBOOK:
        from . import addressbook

        return getattr(addressbook, name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


__all__ = [
    "BadRow", "ConnectionRecord", "ContactRecord", "ImportRejected", "Importer",
    "InvitationRecord", "Limits", "LinkedInExport", "LinkedInImporter", "MessageRecord",
    "ProfileRecord", "Record", "TableImporter", "external_key", "likely_same", "name_key",
    "name_similarity", "normalize_name", "open_export", "parse_mapping", "profile_slug",
    "read_contacts_csv", "read_vcard",
]  # fmt: skip
