"""The "news_threats" component: threats, their source, target and condition.

Lexicon rows (resources/patterns/threats.jsonl) have a ``kind``:

* ``idiom`` -- a threat by itself ("at your own peril", "bitter taste", "back to the caves");
* ``weak`` -- an idiom that threatens only when quoted or under a threat cue ("so be it");
* ``verb`` -- a harmful action ("obliterate", "wipe out"): a threat when a threat cue governs it
  ("threatening to obliterate"), a future/conditional modal marks it ("will destroy"), or a
  speaker says it and it is not in the past;
* ``noun`` -- "attack", "strike", "war": a threat only under a cue or a modal, or as something
  the speaker's side ("we") will do; never inside the condition ("if another attack occurs");
* ``cue`` -- threaten, warn, vow: make the harm words they govern threats; with
  ``"complement": "any"`` ("threaten") whatever the cue governs is a threat, in the lexicon or not
  ("threatened to walk out of the talks", "threatened them with a fine").

Rows may narrow a word down: ``objects`` ("freeze" threatens with assets, accounts, aid as its
object), ``needs: "cue"`` (sanctions, closures and suspensions are plans unless a threat cue, a
condition, an "or ..." ultimatum or the speaker's own "we will" makes them threats),
``subjects`` / ``not_subjects`` ("they will pay for this"; "workers would strike" is a walkout),
``no_of`` ("the consequences of the war"), ``type`` ("or face expulsion" is conditional) and
``span`` (the part of the match that is the threat). An act after "or"/"otherwise" is an
ultimatum ("Return by Monday or lose your jobs"); two verbs sharing one object are one threat
("hunted down and destroyed").

SOURCE is the speaker of the enclosing quote, else the subject; TARGET the object (a pronoun is
resolved to the nearest entity not on the source's side); CONDITION the "if/unless" clause, or a
"any attack ... shall" subject.
"""

from __future__ import annotations

from bisect import bisect_left
from typing import Any

from spacy.attrs import LOWER
from spacy.language import Language
from spacy.tokens import Doc, Token

from annotator.nlp.docdata import NewsAnnotations
from annotator.nlp.lexicons import PatternSet, load_jsonl
from annotator.nlp.syntax import (
    ALL_PRONOUNS,
    COND_MARKS,
    Ents,
    FIRST_PERSON,
    FUTURE_MODALS,
    Sentences,
    governing_verb,
    phrase_head,
    ancestors_upto,
    has_child,
    is_parsed,
    is_past,
    noun_phrase,
    subject_of,
    trim,
)

CAMEO = {"violence": "138", "territory": "1382", "restrict": "131", "arrest": "137", "relations": "131", "expel": "136"}
ADVERBIAL_PREPS = frozenset({"after", "before", "since", "following", "amid", "despite", "over", "during", "until"})
NOUN_THREAT_DEPS = frozenset({"dobj", "attr", "nsubjpass", "oprd", "conj", "appos", "ROOT", "nsubj", "xcomp"})
BLANK_VERB_CUES = frozenset({"we", "i", "to", "will", "shall", "'ll", "must", "would"})
NOUN_DETS = frozenset(
    {"a", "an", "the", "any", "another", "this", "that", "every", "no", "their", "our", "his", "her", "its", "terrorist", "terror"}
)
IMPLICIT_COND_DETS = frozenset({"any", "another", "every", "further"})
OBJ_DEPS = frozenset({"dobj", "dative", "pobj"})
VP_RIGHT_DEPS = frozenset({"dobj", "prt", "dative", "prep", "advmod", "npadvmod", "oprd", "acomp"})
CAUSATIVES = frozenset({"make", "makes", "made", "making", "let", "lets"})
TARGET_LABELS = ("ORG", "NORP", "GPE", "PERSON", "LOC")
SOURCE_LABELS = ("PERSON", "ORG", "GPE", "NORP")


class ThreatFinder:
    def __init__(self, vocab, patterns: str = "threats.jsonl"):
        rows = load_jsonl(patterns)
        self.patterns = PatternSet(vocab, rows)
        cue_words = set()
        for r in rows:
            if r.get("kind") == "cue":
                for tok in r["pattern"]:
                    cue_words.update(tok.get("LOWER", {}).get("IN", []))
        self.cue_words = frozenset(cue_words)

    def __call__(self, doc: Doc) -> Doc:
        if not len(doc):
            return doc
        found = self.patterns(doc)
        matches = [m for m in found if m[2].get("kind") != "cue"]
        if is_parsed(doc):
            matches.extend(self._complements(doc, found, matches))
        if not matches:
            return doc
        ann = NewsAnnotations(doc)
        t = _Threats(doc, ann, self.cue_words)
        for start, end, row in matches:
            if row.get("span"):
                start, end = _slice(start, end, row["span"])
            t.consider(start, end, row)
        t.emit()
        ann.commit()
        return doc


    @staticmethod
    def _complements(doc: Doc, found, matches) -> list:
        """Whatever "threaten" governs is threatened, in the lexicon or not: "threatened to walk
        out of the talks" (the verb), "threatened them with a fine" (the "with" noun). Cue rows
        with ``"complement": "any"`` give the mode (``mode``, ``modes`` per noun)."""
        covered = {i for s0, e0, _ in matches for i in range(s0, e0)}
        out = []
        for start, _end, row in found:
            if row.get("complement") != "any":
                continue
            tok = doc[start]
            for c in tok.children:
                if c.dep_ == "xcomp" and c.pos_ == "VERB" and c.i not in covered:
                    out.append((c.i, c.i + 1, {"kind": "verb", "mode": row.get("mode", "restrict"), "id": "threaten to"}))
                elif c.dep_ == "prep" and c.lower_ == "with":
                    for n in c.children:
                        if n.dep_ == "pobj" and n.pos_ in ("NOUN", "PROPN") and n.i not in covered:
                            mode = row.get("modes", {}).get(n.lower_, row.get("mode", "restrict"))
                            out.append((n.i, n.i + 1, {"kind": "noun", "mode": mode, "id": "threaten with"}))
        return out


class _Threats:
    def __init__(self, doc: Doc, ann: NewsAnnotations, cue_words):
        self.doc, self.ann, self.cue_words = doc, ann, cue_words
        self.parsed = is_parsed(doc)
        self.sents = Sentences(doc)
        n = len(doc)
        # quotes: token -> (quote index, speaker index, kind); direct quotes win over indirect
        self.qmap: list[tuple[int, int | None, str] | None] = [None] * n
        said_by: dict[int, int] = {}
        for h, tl, role in ann.relations:
            if role == "SAID_BY" and h not in said_by:
                said_by[h] = tl
        quotes = [(i, s) for i, s in ann.of_label("QUOTE")]
        quotes.sort(key=lambda x: ann.get_attrs(x[0]).get("kind") != "indirect")
        self.own_side: set[str] = set()
        for qi, span in quotes:
            kind = ann.get_attrs(qi).get("kind", "direct")
            for i in range(span.start, span.end):
                self.qmap[i] = (qi, said_by.get(qi), kind)
        for si, span in ann.of_label("SPEAKER"):
            a = ann.get_attrs(si)
            if a.get("affiliation"):
                self.own_side.add(a["affiliation"])
        self.all_ents = Ents(doc)
        self.ents = [e for e in self.all_ents.spans if e.label_ in TARGET_LABELS]
        self.ent_starts = [e.start for e in self.ents]
        self.found: list[dict[str, Any]] = []
        strings = doc.vocab.strings
        marks = {strings.add(w) for w in COND_MARKS}
        self.cond_marks = [i for i, low in enumerate(doc.to_array([LOWER]).tolist()) if low in marks]

    # --- decisions ---------------------------------------------------------------------------
    def _head(self, start: int, end: int) -> Token:
        return phrase_head(self.doc, start, end) if self.parsed else self.doc[start]

    def _governing_verb(self, tok: Token) -> Token | None:
        return governing_verb(tok) if self.parsed else None

    def _cue_governed(self, tok: Token) -> bool:
        if self.parsed:
            for a in ancestors_upto(tok, 3):
                if a.lower_ in self.cue_words:
                    return True
                if a.dep_ == "prep" and a.lower_ in ADVERBIAL_PREPS:
                    return False  # "warns X after a strike": the strike is no threat
            return False
        s, _ = self.sents.bounds(tok.i)
        return any(t.lower_ in self.cue_words for t in self.doc[max(s, tok.i - 6) : tok.i])

    def _ultimatum(self, head: Token) -> bool:
        """'Return by Monday or lose your jobs', 'free him, or else ...': the act after "or"."""
        doc = self.doc
        j = head.i - 1
        while j >= 0 and (doc[j].is_punct and doc[j].text not in (".", "!", "?") or doc[j].is_space):
            j -= 1
        return j >= 0 and doc[j].lower_ in ("or", "otherwise", "else")

    def _first_person(self, verb: Token | None) -> bool:
        if verb is None:
            return False
        subj = subject_of(verb, max_up=3)
        return subj is not None and subj.lower_ in FIRST_PERSON

    def _cue_object(self, tok: Token) -> bool:
        """'warned of consequences', 'threatened them with arrest': the noun a threat cue governs
        through "of" / "with"."""
        prep = tok.head
        return (
            tok.dep_ == "pobj"
            and prep.dep_ == "prep"
            and prep.lower_ in ("of", "with")
            and prep.head.lower_ in self.cue_words
        )

    def _has_object(self, head: Token, objects) -> bool:
        doc = self.doc
        if not self.parsed:
            return any(t.lower_ in objects for t in doc[head.i + 1 : min(len(doc), head.i + 6)])
        verbs = [head] + [c for c in head.children if c.dep_ == "conj" and c.pos_ == "VERB"]
        if head.dep_ == "conj":  # "close and seal the border": the object sits on the last verb
            verbs.append(head.head)
        for v in verbs:
            for c in v.children:
                cands = [c]
                if c.dep_ in ("prep", "prt") and c.lower_ in ("out", "away", "back"):
                    c = next((g for g in c.children if g.dep_ == "prep"), c)  # "pull out of the deal"
                if c.dep_ == "prep" and c.lower_ in ("of", "from", "on"):  # "withdraw from the agreement"
                    cands = [g for g in c.children if g.dep_ == "pobj"]
                elif c.dep_ not in ("dobj", "nsubjpass", "attr", "oprd"):
                    continue
                for o in cands:
                    if o.lower_ in objects or o.lemma_.lower() in objects:
                        return True
                    if any(g.dep_ == "conj" and g.lower_ in objects for g in o.children):
                        return True
        return False

    def _modal(self, verb: Token | None, tok: Token) -> bool:
        if self.parsed:
            if verb is None:
                return False
            for v in (verb, verb.head if verb.dep_ in ("xcomp", "conj") else None):
                if v is not None and has_child(v, {"aux"}, FUTURE_MODALS | {"going", "must"}):
                    return True
            return False
        return any(t.lower_ in FUTURE_MODALS for t in self.doc[max(0, tok.i - 3) : tok.i])

    def _speakers_side(self, verb: Token | None) -> bool:
        """Inside a quote: the speaker's side acts ("we", "I", an infinitive or an imperative),
        not a third party ("They can arrest a hundred of us")."""
        if not self.parsed:
            return True
        if verb is None:
            return True
        subj = subject_of(verb, max_up=3)
        return subj is None or subj.lower_ in FIRST_PERSON

    def _past(self, verb: Token | None, tok: Token) -> bool:
        if self.parsed:
            return verb is not None and is_past(verb)
        return tok.lower_.endswith("ed")

    def _conditions(self, head: Token) -> tuple[int, int] | None:
        """The if/unless clause this threat depends on, as a token range."""
        doc = self.doc
        s_start, s_end = self.sents.bounds(head.i)
        if self.parsed:
            verb = self._governing_verb(head) or head
            seen = [verb]
            seen.extend(c for c in verb.children if c.dep_ == "conj")
            if verb.dep_ == "conj":
                seen.append(verb.head)
            seen.extend(ancestors_upto(verb, 3))
            for v in seen:
                for c in v.children:
                    if c.dep_ == "advcl" and has_child(c, {"mark"}, COND_MARKS):
                        return c.left_edge.i, c.right_edge.i + 1
            for i in self._cond_marks_in(s_start, s_end):
                t = doc[i]
                if t.dep_ == "mark":
                    return t.head.left_edge.i, t.head.right_edge.i + 1
            return None
        for i in self._cond_marks_in(s_start, s_end):
            t = doc[i]
            if True:
                end = t.i + 1
                while end < s_end and doc[end].text not in (",", ";", ".", "!", "?") and doc[end].text not in ('"', "”"):
                    end += 1
                return t.i, end
        return None

    def _cond_marks_in(self, start: int, end: int) -> list[int]:
        k = bisect_left(self.cond_marks, start)
        out = []
        while k < len(self.cond_marks) and self.cond_marks[k] < end:
            out.append(self.cond_marks[k])
            k += 1
        return out

    def _implicit_condition(self, verb: Token | None) -> tuple[int, int] | None:
        """'Any terrorist attack ... shall give you ...': the subject is the condition."""
        if verb is None or not self._modal(verb, verb):
            return None
        for c in verb.children:
            if c.dep_ in ("nsubj", "nsubjpass"):
                first = c.left_edge
                if first.lower_ in IMPLICIT_COND_DETS:
                    return c.left_edge.i, c.right_edge.i + 1
        return None

    def consider(self, start: int, end: int, row: dict[str, Any]) -> None:
        doc = self.doc
        kind = row.get("kind", "verb")
        if kind == "verb" and not self.parsed and start > 0 and doc[start - 1].lower_ in NOUN_DETS:
            kind = "noun"  # no tagger: "any attack" is a noun
        head = self._head(start, end)
        if row.get("objects") and not self._has_object(head, row["objects"]):
            return  # "freeze" threatens only with assets, accounts, aid... as its object (checked first: cheap)
        if self.parsed and kind == "verb" and head.pos_ not in ("VERB", "AUX") and len(row["pattern"]) == 1:
            return  # a one-word harm verb used as a noun or adjective
        verb = self._governing_verb(head)
        if self.parsed and verb is not None and verb.dep_ in ("ccomp", "xcomp") and verb.head.lower_ in CAUSATIVES:
            verb = verb.head  # "we will make them pay": the making is the speaker's act
        q = self.qmap[head.i]
        cue = self._cue_governed(head)
        modal = self._modal(verb, head)
        cond = self._conditions(head)
        implicit = None
        if cond is None and self.parsed:
            implicit = self._implicit_condition(verb)
        in_cond = any(c is not None and c[0] <= head.i < c[1] for c in (cond, implicit))
        ultimatum = self._ultimatum(head)
        if kind == "idiom":
            ok = True
        elif kind == "weak":
            ok = q is not None or cue
        elif kind == "verb":
            if self.parsed and head.dep_ in ("amod", "compound"):
                return
            if self.parsed:
                side = self._speakers_side(verb)
            else:  # no tagger: "we/I/to/will <verb>" shows a verb of the speaker's side
                side = any(t.lower_ in BLANK_VERB_CUES for t in doc[max(0, head.i - 3) : head.i])
            if row.get("subjects") and self.parsed:
                subj = subject_of(head, max_up=3)
                causative = head.head.lower_ in CAUSATIVES
                if not causative and (subj is None or subj.lower_ not in row["subjects"]):
                    return  # "they will pay for this", not "the state will pay for the bridge"
            if row.get("not_subjects") and self.parsed and verb is not None:
                subj = subject_of(verb, max_up=3)
                if subj is not None and subj.lower_ in row["not_subjects"]:
                    return  # "workers would strike on Monday": a walkout, not a threat
            if row.get("needs") == "cue":
                # sanctions, closures, suspensions: plans unless a threat cue, a condition, an
                # ultimatum or the speaker's own "we will" makes them a threat
                ok = not in_cond and (
                    cue or cond is not None or ultimatum or (modal and q is not None and side and self._first_person(verb))
                )
            else:
                ok = not in_cond and (cue or ultimatum or modal or (q is not None and not self._past(verb, head) and side))
        else:  # noun
            if self.parsed:
                if head.dep_ == "compound":
                    return  # "war drums"
                if head.dep_ not in NOUN_THREAT_DEPS and not self._cue_object(head):
                    return  # "respond to the strike": not the threatened act
                if head.dep_ == "nsubj" and not cue:
                    return  # "the strike would go on": what the clause is about, not the threatened act
                if row.get("no_of") and has_child(head, {"prep"}, frozenset({"of"})):
                    return  # "the consequences of the war": no threat
            elif row.get("no_of") and head.i + 1 < len(doc) and doc[head.i + 1].lower_ == "of":
                return
            first_person = False
            if verb is not None and q is not None:
                subj = subject_of(verb)
                first_person = subj is not None and subj.lower_ in FIRST_PERSON
            if row.get("needs") == "cue":
                ok = not in_cond and (cue or ultimatum)
            else:
                ok = not in_cond and (cue or modal or first_person)
        if ok and self.parsed and kind in ("verb", "noun"):
            negated = head if kind == "verb" else verb
            if negated is not None and has_child(negated, {"neg"}):
                ok = False  # "we will not attack", "we do not seek war"
        if not ok:
            return
        span = self._extent(start, end, head, kind)
        if cond is not None and cond[0] <= span[0] < cond[1]:
            cond = (cond[0], span[0])  # the threat sits inside the if-clause ("if you wish so, at your peril")
        if cond is not None:
            cond = trim(doc, *cond)
            if cond[1] - cond[0] < 2:
                cond = None
        if implicit is not None:
            implicit = trim(doc, *implicit)
        self.found.append(
            {
                "span": span,
                "row": row,
                "head": head,
                "verb": verb,
                "quote": q,
                "cond": cond or implicit,
                "kind": kind,
            }
        )

    def _extent(self, start: int, end: int, head: Token, kind: str) -> tuple[int, int]:
        doc = self.doc
        if not self.parsed:
            return trim(doc, start, end)
        if kind == "verb":
            s, e = start, end
            for c in head.lefts:
                if c.dep_ in ("advmod", "neg") and c.i == s - 1:
                    s = c.i
            for c in head.rights:
                if c.dep_ in VP_RIGHT_DEPS and not (c.dep_ == "prep" and c.lower_ in ADVERBIAL_PREPS):
                    e = max(e, c.right_edge.i + 1)
            return trim(doc, s, e)
        if kind == "noun":
            np = noun_phrase(head)
            e = max(end, np.end)
            for c in head.rights:
                if c.dep_ == "prep" and c.lower_ in ("on", "against", "in", "inside"):
                    e = max(e, c.right_edge.i + 1)
            return trim(doc, min(start, np.start), e)
        # idioms: take in the verb they complete ("give you the bitter taste", "drive them back")
        s, e = start, end
        h = head.head
        if h.i != head.i and h.pos_ == "VERB" and head.dep_ in ("dobj", "advmod", "dative", "oprd") and 0 < s - h.i <= 4:
            s = h.i
        e = max(e, head.right_edge.i + 1)
        return trim(doc, s, e)

    # --- output ------------------------------------------------------------------------------
    def emit(self) -> None:
        if not self.found:
            return
        self.found.sort(key=lambda f: f["span"])
        merged: list[dict[str, Any]] = []
        for f in self.found:
            if merged and (f["span"][0] < merged[-1]["span"][1] or self._shares_object(merged[-1], f)):
                m = merged[-1]
                m["span"] = (m["span"][0], max(m["span"][1], f["span"][1]))
                m["cond"] = m["cond"] or f["cond"]
                if m["kind"] in ("noun", "verb") and f["kind"] in ("idiom", "weak"):
                    m["kind"] = f["kind"]
                continue
            merged.append(dict(f))
        # a condition stops where another threat begins ("if you wish so, at your own peril")
        starts = [f["span"][0] for f in merged]
        for f in merged:
            if f["cond"] is not None:
                cs, ce = f["cond"]
                cut = min((x for x in starts if cs < x < ce), default=ce)
                if cut < ce:
                    cs, ce = trim(self.doc, cs, cut)
                    f["cond"] = (cs, ce) if ce - cs >= 2 else None
        for f in merged:
            self._emit_one(f)

    def _shares_object(self, first: dict[str, Any], second: dict[str, Any]) -> bool:
        """'hunted down and destroyed', 'destroy and obliterate the camps': two verbs, one act --
        the second is a conjunct of the first, and the first has no object of its own. ('close
        the consulate and suspend cooperation' stays two threats.)"""
        if not self.parsed:
            return False
        a, b = first["head"], second["head"]
        if b.dep_ != "conj" or b.head.i != a.i or a.pos_ != "VERB":
            return False
        if any(c.dep_ in ("dobj", "dative") for c in a.children):
            return False
        between = self.doc[first["span"][1] : second["span"][0]]
        return len(between) <= 3 and all(t.lower_ in ("and", "or", ",") or t.is_space for t in between)

    def _emit_one(self, f: dict[str, Any]) -> None:
        ann = self.ann
        s, e = f["span"]
        if e <= s:
            return
        row = f["row"]
        q = f["quote"]
        mode = row.get("mode", "violence")
        if f["cond"] is not None or row.get("type") == "conditional":
            ttype = "conditional"
        elif f["kind"] in ("idiom", "weak"):
            ttype = "veiled"
        elif q is None or q[2] == "indirect":
            ttype = "indirect"
        else:
            ttype = "direct"
        cameo = "139" if ttype == "conditional" else CAMEO.get(mode, "130")
        ti = ann.add(s, e, "THREAT", {"type": ttype, "mode": mode, "cameo": cameo})
        if f["cond"] is not None:
            ci = ann.add(f["cond"][0], f["cond"][1], "CONDITION")
            ann.relate(ti, ci, "CONDITION")
        # SOURCE
        source = None
        if q is not None:
            ann.relate(ti, q[0], "EXPRESSED_IN")
            source = q[1]
        if source is None and self.parsed and f["verb"] is not None:
            subj = subject_of(f["verb"], max_up=5)
            if subj is not None:
                source = self._entity_or_speaker(subj)
        if source is not None:
            ann.relate(ti, source, "SOURCE")
        source_names = set(self.own_side)
        if source is not None:
            sp = ann.spans[source]
            source_names.add(sp.text)
            a = ann.get_attrs(source)
            for k in ("canonical_name", "affiliation"):
                if a.get(k):
                    source_names.add(a[k])
        # TARGET
        target = self._target(f, source_names)
        if target is not None:
            ann.relate(ti, target, "TARGET")

    def _entity_or_speaker(self, tok: Token) -> int | None:
        ann = self.ann
        np = noun_phrase(tok)
        sp = ann.find(np.start, np.end, "SPEAKER")
        if sp is not None:
            return sp
        for ent in self.all_ents.within(np.start, np.end):
            if ent.label_ in SOURCE_LABELS:
                sp = ann.find(ent.start, ent.end, "SPEAKER")
                return sp if sp is not None else ann.add(ent.start, ent.end, ent.label_)
        return None

    def _target(self, f: dict[str, Any], own: set[str]) -> int | None:
        doc, ann = self.doc, self.ann
        obj = None
        if self.parsed:
            holders = [f["head"]]
            if f["verb"] is not None and f["verb"] is not f["head"]:
                holders.append(f["verb"])
            for h in holders:
                for c in h.children:
                    if c.dep_ in ("dobj", "dative") and c.i >= f["span"][0] - 1:
                        obj = c
                        break
                    if c.dep_ == "prep" and c.lower_ in ("against", "on"):
                        obj = next((g for g in c.children if g.dep_ == "pobj"), None)
                        if obj is not None:
                            break
                if obj is not None:
                    break
        else:
            s, e = f["span"]
            for t in doc[s : min(len(doc), e + 2)]:
                if t.lower_ in ("them", "you", "him", "her") or t.ent_type_ in TARGET_LABELS:
                    obj = t
                    break
        if obj is None and self.parsed:
            # "Iran warns Israel of a crushing response": the one warned is the target
            for a in ancestors_upto(f["head"], 4):
                if a.lower_ in self.cue_words:
                    obj = next((c for c in a.children if c.dep_ in ("dobj", "dative")), None)
                    break
        if obj is None:
            return None
        if obj.lower_ in ALL_PRONOUNS:
            if obj.lower_ in FIRST_PERSON:
                return None
            return self._antecedent(obj.i, own)
        np = noun_phrase(obj) if self.parsed else doc[obj.i : obj.i + 1]
        for ent in self.all_ents.within(np.start, np.end):
            if ent.label_ in TARGET_LABELS and ent.text not in own:
                return ann.add(ent.start, ent.end, ent.label_)
        ent = self.all_ents.at(obj.i)
        if ent is not None and ent.label_ in TARGET_LABELS and ent.text not in own:
            return ann.add(ent.start, ent.end, ent.label_)
        return None

    def _antecedent(self, i: int, own: set[str]) -> int | None:
        k = bisect_left(self.ent_starts, i)
        for j in range(k - 1, max(-1, k - 40), -1):
            ent = self.ents[j]
            if ent.end > i or ent.text in own or ent.label_ == "LOC":
                continue
            if self.parsed and ent.label_ == "NORP" and ent.root.dep_ in ("amod", "compound"):
                continue  # "Afghan territory": an adjective, not an actor
            if any(o and (o in ent.text or ent.text in o) for o in own):
                continue
            return self.ann.add(ent.start, ent.end, ent.label_)
        return None


def _slice(start: int, end: int, sl) -> tuple[int, int]:
    a, b = sl
    s = start + a if a >= 0 else end + a
    e = end + b if b <= 0 else start + b
    return s, e


@Language.factory("news_threats", default_config={"patterns": "threats.jsonl"})
def make_news_threats(nlp: Language, name: str, patterns: str) -> ThreatFinder:
    return ThreatFinder(nlp.vocab, patterns=patterns)
