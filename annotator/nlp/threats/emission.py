"""Stage 5b of news_threats: merge the accepted threats and write them with their relations.

Overlapping threats merge into one, and so do two verbs sharing one object ("hunted down and
destroyed"); a condition stops where another threat begins ("if you wish so, at your own peril").
Each threat is written as THREAT (type, mode and CAMEO code) with CONDITION, EXPRESSED_IN, SOURCE
and TARGET relations.
"""

from __future__ import annotations

from dataclasses import replace

from annotator.nlp.syntax import TokenRange, trim
from annotator.nlp.threats.codes import ThreatCodes
from annotator.nlp.threats.context import ThreatContext
from annotator.nlp.threats.judge import MIN_CONDITION_TOKENS
from annotator.nlp.threats.parties import source_names, source_of, target_of
from annotator.nlp.threats.records import Threat

VEILED_KINDS = ("idiom", "weak")
PLAIN_KINDS = ("noun", "verb")
SHARED_OBJECT_GAP = 3
DEFAULT_MODE = "violence"


def merge(t: ThreatContext, found: list[Threat]) -> list[Threat]:
    """Threats in text order, overlapping ones (or two verbs of one object) merged, conditions
    cut where another threat begins."""
    merged: list[Threat] = []
    for f in sorted(found, key=lambda f: f.span):
        if merged and (f.span.start < merged[-1].span.end or _shares_object(t, merged[-1], f)):
            m = merged[-1]
            m.span = TokenRange(m.span.start, max(m.span.end, f.span.end))
            m.cond = m.cond or f.cond
            if m.kind in PLAIN_KINDS and f.kind in VEILED_KINDS:
                m.kind = f.kind
            continue
        merged.append(replace(f))
    starts = [f.span.start for f in merged]
    for f in merged:
        if f.cond is not None:
            cs, ce = f.cond
            cut = min((x for x in starts if cs < x < ce), default=ce)
            if cut < ce:
                cs, ce = trim(t.doc, cs, cut)
                f.cond = TokenRange(cs, ce) if ce - cs >= MIN_CONDITION_TOKENS else None
    return merged


def _shares_object(t: ThreatContext, first: Threat, second: Threat) -> bool:
    """'hunted down and destroyed', 'destroy and obliterate the camps': two verbs, one act --
    the second is a conjunct of the first, and the first has no object of its own. ('close
    the consulate and suspend cooperation' stays two threats.)"""
    if not t.parsed:
        return False
    a, b = first.head, second.head
    if b.dep_ != "conj" or b.head.i != a.i or a.pos_ != "VERB":
        return False
    if any(c.dep_ in ("dobj", "dative") for c in a.children):
        return False
    between = t.doc[first.span.end : second.span.start]
    return len(between) <= SHARED_OBJECT_GAP and all(w.lower_ in ("and", "or", ",") or w.is_space for w in between)


def threat_type(f: Threat) -> str:
    """THREAT.type: conditional (a condition or an "or face ..." row), veiled (an idiom),
    indirect (reported or not quoted), else direct."""
    if f.cond is not None or f.row.get("type") == "conditional":
        return "conditional"
    if f.kind in VEILED_KINDS or f.row.get("type") == "veiled":
        return "veiled"
    if f.quote is None or f.quote.kind == "indirect":
        return "indirect"
    return "direct"


def emit(t: ThreatContext, f: Threat, codes: ThreatCodes) -> None:
    """Write one threat and its relations."""
    ann = t.ann
    if f.span.end <= f.span.start:
        return
    mode = f.row.get("mode", DEFAULT_MODE)
    ttype = threat_type(f)
    ti = ann.add(f.span.start, f.span.end, "THREAT", {"type": ttype, "mode": mode, "cameo": codes.cameo(mode, ttype)})
    if f.cond is not None:
        ann.relate(ti, ann.add(f.cond.start, f.cond.end, "CONDITION"), "CONDITION")
    if f.quote is not None:
        ann.relate(ti, f.quote.index, "EXPRESSED_IN")
        ann.set_attr(f.quote.index, "speech_act", "threat")  # "threat whenever the content carries a THREAT"
    source = source_of(t, f)
    if source is not None:
        ann.relate(ti, source, "SOURCE")
    target = target_of(t, f, source_names(t, source))
    if target is not None:
        ann.relate(ti, target, "TARGET")
