"""The "news_events" component: event triggers with PARTICIPANT, PLACE and TIME links, in stages.

Triggers come from resources/patterns/events.jsonl (each row names an EVENT ``type`` of the
schema). Arguments are entities of the same sentence reached through the parse: compounds and
"between/with/by" phrases of a noun trigger, subject and object of a verb trigger (or of the verb
a noun trigger is the object of: "Pakistan engaged in the peace process"), places after
"in/at/inside/along/near", dates under the trigger or its verb. Without a parse, entities next to
the trigger in the same sentence are used.

Attributes: ``modality`` (negated "without an agreement", hypothetical inside an if-clause or
"any/another attack", future under "will", generic for bare plurals under non-finite verbs,
else asserted) and ``outcome`` (failure when the trigger "collapsed/failed/ended without").

Types are the PLOVER categories of the schema (AGREE ... COERCE beside the original ones), each
with trigger rows in events.jsonl.

No event: a trigger inside a THREAT (a threatened act has not happened: "or face expulsion"), a
non-violent one inside a CONDITION ("unless the troops pull back"), a speech verb that is a CUE
("rejected the claim that ..."), a compound modifier ("riot police", "ceasefire talks" is one event
named by its head), the outcome word of another event ("talks collapse", "the collapse of the
deal"), "the wounded" as people, and rows narrowed by ``subject: "joint"``, ``objects``,
``not_objects``, ``not_compounds``, ``intransitive``, ``near`` or ``subjects``.
Types follow the article: a "strike" keeps the sense of the article's previous strike (walkout or
attack; a walkout in an article about unions), clashes in a sentence about protesters are a
PROTEST, and "the accord" after the article's truce (or "a ceasefire agreement") is the ceasefire.

============== ===============================================================================
``context``    the document as the stages see it: conditions, threats, trigger types, strikes
``triggers``   the rules that make a match no event (`NOT_AN_EVENT`, one function each) and the
               type the article settles (strike sense, protest context)
``attributes`` modality and outcome
``arguments``  PARTICIPANT / PLACE / TIME entities
``component``  the spaCy component (`match` / `set_annotations`) and its factory
============== ===============================================================================

A new event type is a row in resources/patterns/events.jsonl (and the type in the schema); a new
reason to drop a match is one function appended to `triggers.NOT_AN_EVENT`.
"""

from annotator.nlp.events.component import EventFinder, make_news_events

__all__ = ["EventFinder", "make_news_events"]
