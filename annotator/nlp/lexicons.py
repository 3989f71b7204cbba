"""Lexicons and patterns from resources/patterns/ (spaCy pattern JSONL plus a few own keys).

Every row is a spaCy `Matcher`/`SpanRuler` pattern (``{"label", "id", "pattern"}``); extra keys
carry what the component needs (``speech_act``, ``kind``, ``mode``, ``type``...). Named word lists
(``*_words.jsonl``: ``{"list": NAME, "words": [...]}``) hold the words the rules test for, so the
code keeps the logic and the files the vocabulary. See resources/patterns/README.md.
"""

from __future__ import annotations

import copy
import json
from functools import lru_cache
from itertools import product
from typing import Any, NamedTuple

import numpy as np
from spacy.attrs import LOWER, ORTH
from spacy.lang.en.stop_words import STOP_WORDS
from spacy.matcher import Matcher, PhraseMatcher
from spacy.tokens import Doc
from spacy.vocab import Vocab

from annotator.resources import resource_path

POS_KEYS = ("POS", "TAG", "DEP", "MORPH", "LEMMA")
_SKIP = object()  # an optional token left out


class Match(NamedTuple):
    """One lexicon hit: tokens [start, end) and the pattern row that matched them."""

    start: int
    end: int
    row: dict[str, Any]

    def sliced(self) -> Match:
        """The match narrowed to its row's ``span: [a, b]``: tokens a..b of the match (a < 0 or
        b <= 0 count from its end), so a pattern can use context ("on X" labels just "X")."""
        sl = self.row.get("span")
        if not sl:
            return self
        a, b = sl
        s = self.start + a if a >= 0 else self.end + a
        e = self.end + b if b <= 0 else self.start + b
        return Match(s, e, self.row)


@lru_cache(maxsize=None)
def _read_jsonl(name: str) -> tuple[dict[str, Any], ...]:
    """The rows of a JSONL pattern file, read once per process; a bad line names file and line."""
    path = resource_path("patterns", name)
    rows = []
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON: {exc}") from exc
    return tuple(rows)


def load_jsonl(name: str) -> list[dict[str, Any]]:
    """Rows of resources/patterns/<name> (deep copies: callers may change them)."""
    return copy.deepcopy(list(_read_jsonl(name)))


@lru_cache(maxsize=None)
def load_wordlist(name: str) -> frozenset[str]:
    """Lower-cased lines of a text list; '#' starts a comment."""
    path = resource_path("patterns", name)
    words = set()
    for line in path.read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0].strip().lower()
        if line:
            words.add(line)
    return frozenset(words)


@lru_cache(maxsize=None)
def load_wordsets(name: str) -> dict[str, frozenset[str]]:
    """The named word lists of resources/patterns/<name>: one ``{"list", "words"}`` row a line
    (``"note"`` says why the rules want them). Read once per process."""
    path = resource_path("patterns", name)
    sets: dict[str, frozenset[str]] = {}
    with open(path, encoding="utf-8") as fh:
        for n, line in enumerate(fh, 1):
            line = line.strip()
            if not line or line.startswith("//"):
                continue
            try:
                row = json.loads(line)
            except json.JSONDecodeError as exc:
                raise ValueError(f"{path}:{n}: not valid JSON: {exc}") from exc
            words = row.get("words") if isinstance(row, dict) else None
            if not isinstance(row.get("list") if isinstance(row, dict) else None, str) or not (
                isinstance(words, list) and all(isinstance(w, str) for w in words)
            ):
                raise ValueError(f"{path}:{n}: a word list needs a \"list\" name and \"words\" strings")
            if row["list"] in sets:
                raise ValueError(f"{path}:{n}: word list {row['list']!r} defined twice")
            sets[row["list"]] = frozenset(words)
    return sets


def wordset(name: str, list_name: str) -> frozenset[str]:
    """One named list of resources/patterns/<name>; a missing list names the file and the lists
    it has (a typo in code or file fails at import, not silently at match time)."""
    sets = load_wordsets(name)
    if list_name not in sets:
        raise ValueError(f"resources/patterns/{name}: no word list {list_name!r} (has {sorted(sets)})")
    return sets[list_name]


def strip_syntax(pattern: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """The pattern without POS/TAG/DEP/LEMMA tests, for pipelines without a tagger or parser."""
    out = []
    for tok in pattern:
        tok = {k: v for k, v in tok.items() if k not in POS_KEYS}
        out.append(tok)
    return out


class PatternSet:
    """Lexicon rows compiled for fast matching: ``(start, end, row)`` sorted by start, longest first.

    One-token patterns over LOWER/ORTH (+ POS/TAG) are checked in Python on the few tokens that
    carry their words. Other token patterns are "anchored" on their rarest fixed token: patterns
    sharing that token's word list get a small `Matcher` of their own, run only on short windows
    around the tokens carrying those words (found with one vectorised look-up over the doc's
    LOWER/ORTH arrays); patterns without a fixed token run on the whole doc; string patterns use a
    `PhraseMatcher`. Two variants are compiled lazily: the full one and one without
    syntactic tests for docs without POS tags (``spacy.blank``).
    """

    WINDOW_SLACK = 8

    def __init__(self, vocab: Vocab, rows: list[dict[str, Any]]):
        self.vocab = vocab
        self.rows = rows
        self._compiled: dict[bool, dict[str, Any]] = {}

    @staticmethod
    def _words_of(tok: dict[str, Any]) -> list[str] | None:
        """The fixed words a pattern token requires (LOWER/ORTH, one or IN), or None."""
        if tok.get("OP") in ("?", "*", "!", "+"):
            return None
        for attr in ("LOWER", "ORTH"):
            value = tok.get(attr)
            if isinstance(value, str):
                return [value]
            if isinstance(value, dict) and set(value) == {"IN"}:
                return list(value["IN"])
        return None

    def _first_words(self, pattern: list[dict[str, Any]]) -> tuple[str, list[str]] | None:
        """The attribute and words of the pattern's first token, when it is fixed."""
        if not pattern:
            return None
        words = self._words_of(pattern[0])
        if words is None:
            return None
        return ("LOWER" if "LOWER" in pattern[0] else "ORTH"), words

    def _anchor(self, pattern: list[dict[str, Any]]) -> tuple[list[str], int] | None:
        """The pattern token to look for first: a fixed one with the rarest words (no stop
        words if possible), and how many tokens may come before it at most."""
        best = None
        before = 0
        for tok in pattern:
            words = self._words_of(tok)
            if words is not None:
                common = sum(1 for w in words if w.lower() in STOP_WORDS or len(w) < 3)
                score = (common > 0, len(words))
                if best is None or score < best[0]:
                    best = (score, words, before)
            before += self.WINDOW_SLACK if tok.get("OP") in ("+", "*") else 1
        if best is None:
            return None
        return best[1], best[2]

    @staticmethod
    def _token_test(tok: dict[str, Any]):
        """A Python predicate for a one-token pattern over LOWER/ORTH (+ POS/TAG), or None."""
        if set(tok) - {"LOWER", "ORTH", "POS", "TAG"} or not ({"LOWER", "ORTH"} & set(tok)):
            return None
        tests = []
        for attr, value in tok.items():
            if isinstance(value, str):
                tests.append((attr, "IN", frozenset([value])))
            elif isinstance(value, dict) and len(value) == 1 and next(iter(value)) in ("IN", "NOT_IN"):
                op = next(iter(value))
                tests.append((attr, op, frozenset(value[op])))
            else:
                return None
        return tests

    MAX_OPTIONAL = 4

    @classmethod
    def _fixed_variants(cls, pattern: list[dict[str, Any]], strings):
        """A token pattern of fixed words, optional ("?") tokens and wildcards as the plain word
        sequences it stands for: [[(attr, word hashes) or None per token]]; None when the pattern
        needs the Matcher (other attributes or operators, a leading optional or wildcard token)."""
        choices = []
        n_optional = 0
        for tok in pattern:
            op = tok.get("OP")
            if op not in (None, "?"):
                return None
            keys = set(tok) - {"OP"}
            if not keys:
                spec = None  # any token
            elif len(keys) == 1 and keys <= {"LOWER", "ORTH"}:
                attr = next(iter(keys))
                value = tok[attr]
                if isinstance(value, str):
                    words = [value]
                elif isinstance(value, dict) and set(value) == {"IN"}:
                    words = value["IN"]
                else:
                    return None
                spec = (attr, frozenset(strings.add(w) for w in words))
            else:
                return None
            if op == "?":
                n_optional += 1
                choices.append((spec, _SKIP))
            else:
                choices.append((spec,))
        if n_optional > cls.MAX_OPTIONAL or len(choices) < 2 or len(choices[0]) != 1 or choices[0][0] is None:
            return None
        variants = []
        for combo in product(*choices):
            variant = [spec for spec in combo if spec is not _SKIP]
            if variant and variant not in variants:
                variants.append(variant)
        return variants

    def _compile(self, syntax: bool) -> dict[str, Any]:
        """The matchers and word indices of the rows, for docs with or without POS tags (built once
        each)."""
        if syntax in self._compiled:
            return self._compiled[syntax]
        free = Matcher(self.vocab, validate=False)
        phrases = PhraseMatcher(self.vocab, attr="ORTH")
        strings = self.vocab.strings
        simple: dict[int, list[tuple[int, list]]] = {}  # word hash -> [(row, tests)]
        # patterns sharing an anchor word list form a group with a Matcher of its own, run only on
        # the windows around that group's words: a window runs a handful of patterns, not all
        groups: dict[tuple[str, ...], dict[str, Any]] = {}
        # fixed word sequences (LOWER/ORTH tests, "?" optional tokens, wildcards): checked in
        # Python from their first word, no Matcher -- word hash -> [(row, [(attr, hashes) or None])]
        seq_low: dict[int, list] = {}
        seq_orth: dict[int, list] = {}
        n_free = n_phrases = 0
        make_doc = None
        for n, row in enumerate(self.rows):
            pattern = row["pattern"]
            key = f"row{n}"
            if isinstance(pattern, str):
                if make_doc is None:
                    from spacy.lang.en import English

                    make_doc = English(vocab=self.vocab).make_doc
                phrases.add(key, [make_doc(pattern)])
                n_phrases += 1
                continue
            if not syntax:
                pattern = strip_syntax(pattern)
            first = self._first_words(pattern)
            tests = self._token_test(pattern[0]) if len(pattern) == 1 and first is not None else None
            if tests is not None:
                for w in first[1]:
                    simple.setdefault(strings.add(w), []).append((n, tests))
                continue
            variants = self._fixed_variants(pattern, strings)
            if variants is not None:
                for variant in variants:
                    attr, words = variant[0]
                    index = seq_low if attr == "LOWER" else seq_orth
                    for h in words:
                        index.setdefault(h, []).append((n, variant))
                continue
            anchor = self._anchor(pattern)
            if anchor is None:
                free.add(key, [pattern])
                n_free += 1
                continue
            words, before = anchor
            longest = sum(self.WINDOW_SLACK if t.get("OP") in ("+", "*") else 1 for t in pattern)
            g = groups.get(tuple(words))
            if g is None:
                g = groups[tuple(words)] = {"matcher": Matcher(self.vocab, validate=False), "lead": 0, "width": 1}
            g["matcher"].add(key, [pattern])
            g["lead"] = max(g["lead"], before)
            g["width"] = max(g["width"], longest)
        group_list = list(groups.values())
        by_word: dict[int, list[int]] = {}  # anchor word hash -> indices into group_list
        for gi, words in enumerate(groups):
            for w in words:
                by_word.setdefault(strings.add(w), []).append(gi)
        compiled = {
            "groups": group_list,
            "by_word": by_word,
            "free": free if n_free else None,
            "phrases": phrases if n_phrases else None,
            "anchor_keys": frozenset(by_word),
            "simple": simple,
            "seq_low": seq_low,
            "seq_orth": seq_orth,
            "keys": frozenset(by_word) | frozenset(simple) | frozenset(seq_low) | frozenset(seq_orth),
        }
        self._compiled[syntax] = compiled
        return compiled

    def __call__(self, doc: Doc) -> list[Match]:
        if not len(doc):
            return []
        syntax = bool(doc.has_annotation("POS") or doc.has_annotation("TAG"))
        c = self._compile(syntax)
        strings = self.vocab.strings
        found: set[tuple[int, int, int]] = set()  # (row, start, end)
        n = len(doc)
        arr = doc.to_array([LOWER, ORTH])
        simple, anchors = c["simple"], c["anchor_keys"]
        # the words of the doc that start a pattern: a C-level set intersection, then the few
        # positions that carry them
        lows, orths = arr[:, 0], arr[:, 1]
        present = c["keys"].intersection(lows.tolist()) | c["keys"].intersection(orths.tolist())
        positions: list[int] = []
        if present:
            wanted = np.fromiter(present, dtype=np.uint64, count=len(present))
            positions = np.nonzero(np.isin(lows, wanted) | np.isin(orths, wanted))[0].tolist()
        hits: list[int] = []
        seq_low, seq_orth = c["seq_low"], c["seq_orth"]
        low_list = orth_list = None
        for i in positions:
            low, orth = int(lows[i]), int(orths[i])
            if low in seq_low or orth in seq_orth:
                if low_list is None:
                    low_list, orth_list = lows.tolist(), orths.tolist()
                for row, variant in seq_low.get(low, []) + seq_orth.get(orth, []):
                    end = i + len(variant)
                    if end > n:
                        continue
                    for k in range(1, len(variant)):
                        spec = variant[k]
                        if spec is not None and (low_list if spec[0] == "LOWER" else orth_list)[i + k] not in spec[1]:
                            break
                    else:
                        found.add((row, i, end))
            if low in simple or orth in simple:
                tok = doc[i]
                values = {"LOWER": low, "ORTH": orth}
                for key in {low, orth}:
                    for row, tests in simple.get(key, ()):
                        if all(_passes(tok, values, attr, op, allowed, strings) for attr, op, allowed in tests):
                            found.add((row, i, i + 1))
            if low in anchors or orth in anchors:
                hits.append(i)
        if hits:
            by_word, groups = c["by_word"], c["groups"]
            spans: dict[int, list[tuple[int, int]]] = {}
            for i in hits:
                gis = set(by_word.get(int(lows[i]), ())) | set(by_word.get(int(orths[i]), ()))
                for gi in gis:
                    g = groups[gi]
                    spans.setdefault(gi, []).append((max(0, i - g["lead"]), min(n, i + g["width"])))
            for gi, windows_of in spans.items():
                windows: list[list[int]] = []
                for a, b in sorted(windows_of):
                    if windows and a <= windows[-1][1]:
                        windows[-1][1] = max(windows[-1][1], b)
                    else:
                        windows.append([a, b])
                matcher = groups[gi]["matcher"]
                for a, b in windows:
                    for match_id, s, e in matcher(doc[a:b]):
                        found.add((int(strings[match_id][3:]), s + a, e + a))
        for m in ("free", "phrases"):
            if c[m] is not None:
                for match_id, s, e in c[m](doc):
                    found.add((int(strings[match_id][3:]), s, e))
        out = [Match(start, end, self.rows[row]) for row, start, end in found]
        out.sort(key=lambda m: (m[0], -(m[1] - m[0])))
        return out


def _passes(tok, values: dict[str, int], attr: str, op: str, allowed: frozenset[str], strings) -> bool:
    """Whether one token passes one attribute test of a one-token pattern."""
    if attr in values:
        value = strings[values[attr]]
    elif attr == "POS":
        value = tok.pos_
    else:
        value = tok.tag_
    return (value in allowed) if op == "IN" else (value not in allowed)
