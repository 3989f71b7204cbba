"""Proposing actors for mentions: exact or normalised matches of canonical names and aliases.

A mention (a SPEAKER, PERSON, ORG, GPE or NORP span) is proposed the actor whose canonical name
or an alias equals the mention's `canonical_name` attribute or its text once both are
normalised (case, accents, punctuation, a leading "the", a possessive "'s", titles such as
"Defence Minister"). A pronoun or description joined by SAME_AS to a linked mention is proposed
that mention's actor. A name matching several actors is not proposed (the analyst decides).
Nothing here writes: the store records what the analyst accepts.

`seed_groups` turns the names of unlinked mentions into new actors (one per normalised name),
so a project can start its registry from what it already labelled.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cache

from annotator.domain import Actor
from annotator.resources import resource_path

PRONOUNS = frozenset("he she it they him her them his hers its their theirs we us our i me my you"
                     " who which this that these those".split())


@cache
def _titles() -> tuple[str, ...]:
    """Person titles from the gazetteer patterns ("defence minister", "general", ...), longest
    first, normalised."""
    try:
        lines = resource_path("patterns", "person_titles.txt").read_text(encoding="utf-8")
    except OSError:
        return ()
    titles = {_fold(line) for line in lines.splitlines() if line.strip()
              and not line.lstrip().startswith("#")}
    return tuple(sorted((t for t in titles if t), key=len, reverse=True))


def _fold(text: str) -> str:
    text = unicodedata.normalize("NFKD", text)
    text = "".join(ch for ch in text if not unicodedata.combining(ch))
    text = text.casefold().replace("\u2019", "'")
    text = re.sub(r"'s\b", "", text)
    text = re.sub(r"[^\w\s]", " ", text)
    return " ".join(text.split())


# Title words that also start names ("General Motors", "Police Federation"): stripped only
# when two or more words follow.
_AMBIGUOUS_TITLES = frozenset("general chief head army police man woman official officials "
                              "leader militant expert analyst officer".split())


def normalise(name: str) -> str:
    """The form names are compared in: "the Defence Minister Amara Velko's" -> "amara velko",
    "Minister Velko" -> "velko" (a title word within the first four words goes, with the
    words before it)."""
    words = _fold(name).split(" ")
    if words[:1] == ["the"]:
        words = words[1:]
    titles = set(_titles())
    for k in range(min(4, len(words) - 1)):
        rest = len(words) - k - 1
        if words[k] in titles and (rest >= 2 or words[k] not in _AMBIGUOUS_TITLES):
            words = words[k + 1:]
            break
    return " ".join(w for w in words if w)


def _capitalised(word: str) -> bool:
    first = word[:1]
    return first.isupper() or (first.isalpha() and not first.islower())  # also uncased scripts


def is_name(text: str) -> bool:
    """Worth an actor of its own: not a pronoun, and a capitalised word after any article
    ("Kestria", "the Foreign Ministry", "王小明"; not "police" or "residents")."""
    if not normalise(text) or _fold(text) in PRONOUNS:
        return False
    return any(_capitalised(w) for w in text.split() if w.lower() not in ("the", "a", "an"))


@dataclass
class Proposal:
    span_id: int
    actor_id: int
    reason: str  # "name", "alias", "canonical_name", "same_as"


@dataclass
class ActorIndex:
    """Normalised names and aliases of the registry -> the actors that carry them."""

    by_key: dict[str, set[int]] = field(default_factory=dict)
    reasons: dict[tuple[str, int], str] = field(default_factory=dict)

    @classmethod
    def build(cls, actors: Iterable[Actor]) -> ActorIndex:
        index = cls()
        for actor in actors:
            index.add(actor.name, actor.id, "name")
            for alias in actor.aliases:
                index.add(alias, actor.id, "alias")
        return index

    def add(self, name: str, actor_id: int, reason: str) -> None:
        key = normalise(name)
        if key:
            self.by_key.setdefault(key, set()).add(actor_id)
            self.reasons.setdefault((key, actor_id), reason)

    def match(self, name: str) -> tuple[int, str] | None:
        """The one actor a name means, and why; None for no match or an ambiguous one."""
        key = normalise(name)
        found = self.by_key.get(key, set())
        if len(found) != 1:
            return None
        (actor_id,) = found
        return actor_id, self.reasons[(key, actor_id)]


def propose(mentions: Iterable[dict], actors: Iterable[Actor]) -> list[Proposal]:
    """Proposals for unlinked mentions (rows of `Store.unlinked_mentions`)."""
    index = ActorIndex.build(actors)
    out = []
    for m in mentions:
        found = None
        if m.get("canonical_name"):
            hit = index.match(m["canonical_name"])
            found = (hit[0], "canonical_name") if hit else None
        if found is None and _fold(m["text"]) not in PRONOUNS:
            found = index.match(m["text"])
        if found is None and len(m.get("same_as_actors") or []) == 1:
            found = (m["same_as_actors"][0], "same_as")
        if found is not None:
            out.append(Proposal(m["span_id"], found[0], found[1]))
    return out


_TYPE_OF_LABEL = {"PERSON": "PERSON", "ORG": "ORG", "GPE": "GPE", "NORP": "NORP"}


def seed_groups(mentions: Iterable[dict], actors: Iterable[Actor] = ()
                ) -> list[tuple[dict, list[int]]]:
    """New actors for the names among unlinked mentions that match no actor yet: one per
    normalised name, named by its longest spelling (aliases: the others), typed by the most
    common entity label of its mentions (SPEAKER alone leaves the type open). Returns
    (fields, span ids) for `Store.create_actors`."""
    index = ActorIndex.build(actors)
    groups: dict[str, dict] = {}
    common: set[str] = set()  # names also written in lower case: "police", "residents"
    for m in mentions:
        name = m.get("canonical_name") or m["text"]
        if name == name.lower() and name != name.upper():
            common.add(normalise(name))
        if not is_name(name) or index.match(name) is not None:
            continue
        key = normalise(name)
        if not key:
            continue
        group = groups.setdefault(key, {"spellings": {}, "labels": {}, "spans": []})
        spelling = " ".join(name.split())
        group["spellings"][spelling] = group["spellings"].get(spelling, 0) + 1
        group["labels"][m["label"]] = group["labels"].get(m["label"], 0) + 1
        group["spans"].append(m["span_id"])
    for key in common & set(groups):
        del groups[key]  # "police" somewhere: "Police" opening a sentence is no name either
    _fold_surnames(groups)
    out = []
    for _key, group in sorted(groups.items()):
        spellings = sorted(group["spellings"], key=lambda s: (s.isupper(), -len(s),
                                                              -group["spellings"][s], s))
        typed = [lab for lab in sorted(group["labels"], key=lambda k: -group["labels"][k])
                 if lab in _TYPE_OF_LABEL]
        fields = {"name": spellings[0], "aliases": spellings[1:],
                  "type": _TYPE_OF_LABEL[typed[0]] if typed else ""}
        out.append((fields, group["spans"]))
    return out


def _fold_surnames(groups: dict[str, dict]) -> None:
    """A one-word person name that is the last word of exactly one longer person name joins it
    ("Velko" -> "Amara Velko"); with two candidates ("Brenner": Hal or Sofia) it stays apart."""
    people = {k for k, g in groups.items() if " " in k and "PERSON" in g["labels"]}
    for key in [k for k in groups if " " not in k]:
        owners = [p for p in people if p.rsplit(" ", 1)[-1] == key]
        if len(owners) == 1:
            gone = groups.pop(key)
            target = groups[owners[0]]
            for spelling, n in gone["spellings"].items():
                target["spellings"][spelling] = target["spellings"].get(spelling, 0) + n
            for label, n in gone["labels"].items():
                target["labels"][label] = target["labels"].get(label, 0) + n
            target["spans"] += gone["spans"]
