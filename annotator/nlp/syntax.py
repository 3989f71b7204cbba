"""Small syntax helpers shared by the news components: sentences, noun phrases, subjects.

All helpers degrade gracefully on docs without a parse (``spacy.blank``): they then fall back to
token-shape heuristics. The word sets here are closed-class English grammar (pronouns, modals,
auxiliaries); the vocabulary the rules are tuned on lives in resources/patterns/.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from typing import NamedTuple

import numpy as np
from spacy.attrs import DEP, ENT_IOB, ENT_TYPE, HEAD, IS_PUNCT, IS_SPACE, LOWER, ORTH, SENT_START, SPACY, TAG
from spacy.tokens import Doc, Span, Token

from annotator.nlp.lexicons import load_wordlist

PERSON_PRONOUNS = frozenset({"he", "she", "him", "her"})
GROUP_PRONOUNS = frozenset({"they", "them", "we", "us"})
THING_PRONOUNS = frozenset({"it"})
SECOND_PERSON = frozenset({"you"})
FIRST_PERSON = frozenset({"i", "me", "we", "us"})
SPEAKER_PRONOUNS = PERSON_PRONOUNS | GROUP_PRONOUNS | THING_PRONOUNS | FIRST_PERSON
ALL_PRONOUNS = SPEAKER_PRONOUNS | SECOND_PERSON

SUBJECT_DEPS = frozenset({"nsubj"})
NP_LEFT_DEPS = frozenset(
    {"compound", "det", "amod", "poss", "case", "nmod", "nummod", "flat", "quantmod", "predet", "punct"}
)
SENT_END = frozenset({".", "!", "?"})
MODALS = frozenset({"will", "shall", "would", "'ll", "wo", "going", "gon", "must", "should"})
FUTURE_MODALS = frozenset({"will", "shall", "would", "'ll", "wo"})
COND_MARKS = frozenset({"if", "unless"})
FINITE_TAGS = frozenset({"VBD", "VBZ", "VBP", "MD"})
PERFECT_AUX = frozenset({"has", "have", "had", "'ve", "'d"})
PAST_PASSIVE_AUX = frozenset({"was", "were"})


class TokenRange(NamedTuple):
    """Tokens [start, end) of a doc: what a rule found, before it becomes a span."""

    start: int
    end: int


def person_titles() -> frozenset[str]:
    """Role nouns ("minister", "spokesman") from person_titles.txt: a speaker headed by one is a person."""
    return load_wordlist("person_titles.txt")


def is_parsed(doc: Doc) -> bool:
    """Whether the doc has a dependency parse (else the rules fall back on word order)."""
    return doc.has_annotation("DEP")


TEXT_CACHE_KEY = "news_text_cache"


def doc_text(doc: Doc) -> str:
    """`doc.text`, built from the ORTH/SPACY arrays (spaCy's property makes a Token per token);
    kept in ``doc.user_hooks`` (never serialised) for the next component."""
    cached = doc.user_hooks.get(TEXT_CACHE_KEY)
    if cached is not None and cached[0] == len(doc):
        return cached[1]
    strings = doc.vocab.strings
    text = "".join([strings[o] + " " if sp else strings[o] for o, sp in doc.to_array([ORTH, SPACY]).tolist()])
    doc.user_hooks[TEXT_CACHE_KEY] = (len(doc), text)
    return text


ENTS_CACHE_KEY = "news_ents_cache"


def fast_ents(doc: Doc) -> list[Span]:
    """`doc.ents` without spaCy's per-token Python loop (it builds a Token per token).

    The spans are cached per doc for the components that follow each other (quotes, threats,
    events, same_as, suggestions): in ``doc.user_hooks``, which is never serialised, and checked
    against the doc's current ENT_IOB/ENT_TYPE arrays, so a change of the entities rebuilds them.
    A fresh list is returned each time (callers may change it)."""
    if not doc.has_annotation("ENT_IOB"):
        return []
    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    key = arr.tobytes()
    cached = doc.user_hooks.get(ENTS_CACHE_KEY)
    if cached is not None and cached[0] == key and cached[1] == len(doc) and (not cached[2] or cached[2][0].doc is doc):
        return list(cached[2])
    iob = arr[:, 0].tolist()
    out = []
    n = len(iob)
    for s in np.nonzero(arr[:, 0] == 3)[0].tolist():
        e = s + 1
        while e < n and iob[e] == 1:
            e += 1
        out.append(Span(doc, s, e, label=int(arr[s, 1])))
    doc.user_hooks[ENTS_CACHE_KEY] = (key, len(doc), tuple(out))
    return out


class Ents:
    """The doc's entities (computed once) with range look-ups by token index."""

    def __init__(self, doc: Doc):
        self.doc = doc
        self.spans = fast_ents(doc)
        self.starts = [e.start for e in self.spans]
        self._at: dict[int, Span] | None = None
        self._texts: list[str] | None = None

    @property
    def texts(self) -> list[str]:
        """The entities' texts, in the order of `spans` (sliced from the doc text: no Tokens)."""
        if self._texts is None:
            text = doc_text(self.doc)
            self._texts = [text[e.start_char : e.end_char] for e in self.spans]
        return self._texts

    def within(self, start: int, end: int) -> list[Span]:
        """The entities lying wholly inside tokens [start, end), in order."""
        k = bisect_left(self.starts, start)
        out = []
        while k < len(self.spans) and self.spans[k].start < end:
            if self.spans[k].end <= end:
                out.append(self.spans[k])
            k += 1
        return out

    def at(self, i: int) -> Span | None:
        """The entity holding token i, or None."""
        if self._at is None:
            self._at = {}
            for e in self.spans:
                for j in range(e.start, e.end):
                    self._at[j] = e
        return self._at.get(i)


class Sentences:
    """Sentence boundaries as token indices, with a fast `bounds(i)` lookup.

    Uses the doc's sentence annotation when there is one; otherwise splits at paragraph breaks
    and sentence-final punctuation (what the sentencizer would do).
    """

    def __init__(self, doc: Doc):
        self.doc = doc
        if doc.has_annotation("SENT_START") or doc.has_annotation("DEP"):
            arr = doc.to_array([SENT_START])
            starts = [0] + [i for i in np.nonzero(arr == 1)[0].tolist() if i > 0]
            if len(starts) == 1 and doc.has_annotation("DEP") and not doc.has_annotation("SENT_START"):
                starts = [s.start for s in doc.sents]
            # a "sentence" the parser starts with a lower-case word right after a word ("Militants |
            # armed with rifles stormed ...") is no sentence: keep it with the one before
            starts = [i for i in starts if i == 0 or not (doc[i].is_lower and doc[i - 1].is_alpha)]
        else:
            starts = [0]
            prev_end = False
            for tok in doc:
                if tok.i and (prev_end or "\n" in doc[tok.i - 1].text) and not tok.is_space:
                    if starts[-1] != tok.i:
                        starts.append(tok.i)
                    prev_end = False
                if tok.text in SENT_END:
                    prev_end = True
                elif not (tok.is_punct and tok.i and prev_end) and not tok.is_space:
                    prev_end = False
        self.starts = starts or [0]
        self.ends = self.starts[1:] + [len(doc)]

    def index(self, i: int) -> int:
        """The number of the sentence holding token i."""
        return max(0, bisect_right(self.starts, i) - 1)

    def bounds(self, i: int) -> tuple[int, int]:
        """Tokens [start, end) of the sentence holding token i."""
        k = self.index(i)
        return self.starts[k], self.ends[k]


class Paragraphs:
    """Paragraph boundaries (split at tokens holding a newline) as token indices."""

    def __init__(self, doc: Doc):
        starts = [0]
        spaces = doc.to_array([IS_SPACE])
        for i in np.nonzero(spaces)[0].tolist():
            if i + 1 < len(doc) and "\n" in doc[i].text and not spaces[i + 1]:
                starts.append(i + 1)
        self.starts = starts
        self.ends = starts[1:] + [len(doc)]

    def bounds(self, i: int) -> tuple[int, int]:
        """Tokens [start, end) of the paragraph holding token i."""
        k = max(0, bisect_right(self.starts, i) - 1)
        return self.starts[k], self.ends[k]

    def index(self, i: int) -> int:
        """The number of the paragraph holding token i."""
        return max(0, bisect_right(self.starts, i) - 1)


def _left_edge_np(tok: Token, depth: int = 0) -> int:
    """The leftmost token of `tok`'s noun-phrase modifiers (determiners, compounds, possessives)."""
    start = tok.i
    if depth > 6:
        return start
    for child in tok.lefts:
        if child.dep_ in NP_LEFT_DEPS:
            if child.dep_ == "punct" and child.text not in ("-", "–"):
                continue
            start = min(start, _left_edge_np(child, depth + 1))
    return start


def noun_phrase(tok: Token) -> Span:
    """The noun phrase headed by `tok`: its determiners, modifiers and compounds to the left.

    Relative clauses, appositions and prepositional phrases are left out ("Asif, who ..., said"
    gives "Asif"). Without a parse: the run of title-case words (and a leading "the") around
    `tok`.
    """
    doc = tok.doc
    if tok.pos_ == "PRON" or tok.lower_ in ALL_PRONOUNS:
        return doc[tok.i : tok.i + 1]
    if is_parsed(doc):
        start = _left_edge_np(tok)
        while start < tok.i and (doc[start].is_punct or doc[start].is_space):
            start += 1
        end = tok.i + 1
        # a possessive NP: "Pakistan's Information Minister" already has the case inside it;
        # right-hand flat/compound children (rare in English) join too
        for child in tok.rights:
            if child.dep_ in ("flat", "compound") and child.i == end:
                end = child.i + 1
        return doc[start:end]
    return shape_phrase(doc, tok.i)


def shape_phrase(doc: Doc, i: int) -> Span:
    """Title-case run around token i (with "the"/possessive/titles to the left); no parse needed."""
    titles = person_titles()
    start = i
    while start > 0:
        prev = doc[start - 1]
        if prev.is_title or prev.lower_ in titles or prev.text in ("'s", "’s") or (
            prev.is_upper and len(prev.text) > 1 and prev.is_alpha
        ):
            start -= 1
        else:
            break
    if start > 0 and doc[start - 1].lower_ in ("the", "a", "an"):
        start -= 1
    end = i + 1
    while end < len(doc) and doc[end].is_title and doc[i].is_title:
        end += 1
    return doc[start:end]


def phrase_head(doc: Doc, start: int, end: int) -> Token:
    """The syntactic head of doc[start:end]: the first token whose head lies outside it."""
    for tok in doc[start:end]:
        if not (start <= tok.head.i < end) or tok.head.i == tok.i:
            return tok
    return doc[start]


def governing_verb(tok: Token, max_up: int = 4) -> Token | None:
    """The nearest verb or auxiliary at or above `tok` (at most `max_up` steps up the parse)."""
    t = tok
    for _ in range(max_up):
        if t.pos_ in ("VERB", "AUX"):
            return t
        if t.head.i == t.i:
            return None
        t = t.head
    return None


def subject_of(verb: Token, max_up: int = 4) -> Token | None:
    """The active subject of `verb`, inherited through conj/xcomp/advcl chains.

    "He said X but added that ..." gives "He" for "added"; "Asif issued a warning, threatening
    to ..." gives "Asif" for "threatening". Passive verbs give None. A relative pronoun subject
    ("Asif, who said ...") resolves to the noun the clause modifies.
    """
    v = verb
    for _ in range(max_up):
        for child in v.children:
            if child.dep_ in SUBJECT_DEPS:
                if child.tag_ in ("WP", "WDT") and v.dep_ == "relcl":
                    return v.head
                return child
        for child in v.children:
            if child.dep_ in ("nsubjpass", "csubj", "expl"):
                return None
        if v.dep_ in ("conj", "xcomp", "advcl") and v.head.i != v.i:
            v = v.head
        else:
            return None
    return None


def has_child(tok: Token, deps: frozenset[str] | set[str], lowers: frozenset[str] | None = None) -> bool:
    """Whether `tok` has a child with one of `deps` (and, if given, one of `lowers` as its lower-case
    text)."""
    for c in tok.children:
        if c.dep_ in deps and (lowers is None or c.lower_ in lowers):
            return True
    return False


def ancestors_upto(tok: Token, n: int):
    """`tok`'s heads, nearest first, at most `n` of them (stops at the root)."""
    t = tok
    for _ in range(n):
        if t.head.i == t.i:
            return
        t = t.head
        yield t


ARRAYS_CACHE_KEY = "news_arrays_cache"


def token_arrays(doc: Doc) -> dict[str, list[int]]:
    """Per-token LOWER, TAG, DEP hashes and absolute HEAD indices as plain lists (cached in
    ``doc.user_hooks``, never serialised): loops over them build no Token objects."""
    cached = doc.user_hooks.get(ARRAYS_CACHE_KEY)
    if cached is not None and len(cached["lower"]) == len(doc):
        return cached
    arr = doc.to_array([LOWER, TAG, DEP, HEAD])
    heads = (arr[:, 3].astype(np.int64) + np.arange(len(doc))).tolist() if len(doc) else []
    out = {"lower": arr[:, 0].tolist(), "tag": arr[:, 1].tolist(), "dep": arr[:, 2].tolist(), "head": heads}
    doc.user_hooks[ARRAYS_CACHE_KEY] = out
    return out


LOWS_CACHE_KEY = "news_lower_cache"


def lower_hashes(doc: Doc) -> list[int]:
    """The LOWER hashes of the doc's tokens, so word tests over many tokens build no Token
    objects (cached in ``doc.user_hooks``, never serialised, shared by the components)."""
    cached = doc.user_hooks.get(LOWS_CACHE_KEY)
    if cached is not None and len(cached) == len(doc):
        return cached
    lows = doc.to_array([LOWER]).tolist()
    doc.user_hooks[LOWS_CACHE_KEY] = lows
    return lows


_HASHES: dict[frozenset, frozenset] = {}


def hashes(doc: Doc, words: frozenset[str]) -> frozenset[int]:
    """The string hashes of `words`, to compare with `lower_hashes` or `token_arrays` (the same in
    every vocab: spaCy hashes strings with MurmurHash), computed once per word set."""
    found = _HASHES.get(words)
    if found is None:
        found = _HASHES[words] = frozenset(doc.vocab.strings[w] for w in words)
    return found


TRIM_CACHE_KEY = "news_trim_cache"


def _trim_flags(doc: Doc) -> tuple[bytes, bytes]:
    """Per token: may a span start past it / end before it (cached in ``doc.user_hooks``)."""
    cached = doc.user_hooks.get(TRIM_CACHE_KEY)
    if cached is not None and len(cached[0]) == len(doc):
        return cached
    strings = doc.vocab.strings
    keep_left = strings.add("(")
    keep_right = {strings.add(w) for w in SENT_END | {")"}}
    arr = doc.to_array([IS_SPACE, IS_PUNCT, ORTH])
    space, punct, orth = arr[:, 0] != 0, arr[:, 1] != 0, arr[:, 2]
    left = (space | (punct & (orth != keep_left))).astype(np.uint8).tobytes()
    kept = np.array(sorted(keep_right), dtype=orth.dtype)
    right = (space | (punct & ~np.isin(orth, kept))).astype(np.uint8).tobytes()
    doc.user_hooks[TRIM_CACHE_KEY] = (left, right)
    return left, right


def trim(doc: Doc, start: int, end: int) -> tuple[int, int]:
    """Shrink [start, end) past spaces and punctuation at both ends (keeps . ! ? at the end)."""
    left, right = _trim_flags(doc)
    while start < end and left[start]:
        start += 1
    while end > start and right[end - 1]:
        end -= 1
    return start, end


def remember_ents(doc: Doc, spans) -> None:
    """After `doc.set_ents(spans)`: keep them as the `fast_ents` cache (if they are what the doc
    now holds), so the next component need not rebuild them."""
    if not doc.has_annotation("ENT_IOB"):
        return
    spans = sorted(spans, key=lambda e: e.start)
    arr = doc.to_array([ENT_IOB, ENT_TYPE])
    starts = np.nonzero(arr[:, 0] == 3)[0].tolist()
    if starts == [e.start for e in spans] and all(int(arr[e.start, 1]) == e.label for e in spans):
        doc.user_hooks[ENTS_CACHE_KEY] = (arr.tobytes(), len(doc), tuple(spans))


def is_finite(verb: Token) -> bool:
    """A finite verb or one with a finite auxiliary: a clause of its own, not a participle."""
    return verb.tag_ in FINITE_TAGS or any(
        c.dep_ in ("aux", "auxpass") and c.tag_ in FINITE_TAGS for c in verb.children
    )


def is_past(verb: Token) -> bool:
    """Simple past or perfect, no modal: "destroyed", "has destroyed"."""
    if verb.tag_ == "VBD":
        return not has_child(verb, {"aux"}, MODALS)
    if verb.tag_ == "VBN":
        if has_child(verb, {"aux"}, MODALS):
            return False
        return has_child(verb, {"aux"}, PERFECT_AUX) or has_child(verb, {"auxpass"}, PAST_PASSIVE_AUX)
    return False
