"""Who and what, across the files of a team: annotator names, the curated layer, layer uids.

Every span and relation carries the name of the annotator whose label it is: that name is its
*layer*. The adjudicated gold is one more layer, under the reserved name `CURATED`
("~curated"): curated rows are ordinary spans and relations, so every query, export and undo
works on them unchanged, and `~` cannot start a real annotator's name (assign refuses it), so
the two never mix. Who curated a label is in the action log (`actions.annotator`).

A label an annotator made in their pack keeps its uid in the project; a label that came from
the project (a model's suggestion they accepted) gets, in their layer, a uid derived from theirs
and the original's (`layer_uid`), the same on every merge: several annotators may accept the same
suggestion, and each acceptance is its own row.
"""

from __future__ import annotations

import hashlib
import re
import uuid

CURATED = "~curated"
RESERVED_PREFIX = "~"
_NAMESPACE = uuid.UUID("8f7f8a8e-5d2c-4f0e-9a57-6d1f3b0c2e41")  # this project's uuid5 namespace
_NS_BYTES = _NAMESPACE.bytes
_BAD_CHARS = re.compile(r"[\\/:*?\"<>|\x00-\x1f]")


def check_annotator_name(name: str) -> str:
    """The name, stripped; ValueError if it cannot name a layer and a pack file (DIR/NAME.db)."""
    name = (name or "").strip()
    if not name:
        raise ValueError("an annotator name cannot be empty")
    if name.startswith(RESERVED_PREFIX):
        raise ValueError(f"annotator name {name!r}: names starting with '{RESERVED_PREFIX}' are "
                         f"reserved ({CURATED} is the curated layer)")
    if _BAD_CHARS.search(name) or name in (".", ".."):
        raise ValueError(f"annotator name {name!r}: it names a file, so it cannot contain "
                         "/ \\ : * ? \" < > | or control characters")
    if len(name) > 64:
        raise ValueError(f"annotator name {name[:20]!r}...: at most 64 characters")
    return name


def layer_uid(annotator: str, uid: str) -> str:
    """The uid, in `annotator`'s layer, of the label whose uid in their pack is `uid`: exactly
    `uuid.uuid5(_NAMESPACE, annotator + "\x1f" + uid)`, without building UUID objects (a merge
    makes one per label)."""
    digest = bytearray(hashlib.sha1(_NS_BYTES + f"{annotator}\x1f{uid}".encode()).digest()[:16])
    digest[6] = (digest[6] & 0x0F) | 0x50  # version 5
    digest[8] = (digest[8] & 0x3F) | 0x80  # RFC 4122 variant
    h = digest.hex()
    return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"


def initials(name: str) -> str:
    """One or two letters that stand for an annotator in the text ("Ana Ruiz" -> "AR")."""
    if name == CURATED:
        return "\u2605"
    words = [w for w in re.split(r"[\s._-]+", name) if w]
    if len(words) >= 2:
        return (words[0][0] + words[1][0]).upper()
    return (words[0][:2] if words else "?").capitalize()
