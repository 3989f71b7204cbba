"""Import this module to register every news pipeline component with spaCy.

Factories (usable as ``nlp.add_pipe(name)`` on any English pipeline once imported):

=========================== =====================================================================
``news_paragraph_sentences`` before the parser: a newline always starts a sentence
``news_gazetteer``           before "ner": preset entities from gazetteer.jsonl; with
                             ``config={"stage": "after_ner"}`` (added as ``news_entity_fixes``
                             after "ner") it drops/relabels what the NER must never say
``news_quotes``              QUOTE, SPEAKER, CUE + SAID_BY, CUE, SAME_AS (pronoun speakers)
``news_threats``             THREAT, CONDITION + SOURCE, TARGET, CONDITION, EXPRESSED_IN
``news_events``              EVENT + PARTICIPANT, PLACE, TIME
``news_same_as``             SAME_AS between mentions of one person, group or event
``news_learned_spans``       in trained pipelines: merges the spancat's spans with the rules'
                             (see `combine`); ``news.clause_candidates.v1`` is its suggester
=========================== =====================================================================
"""

import annotator.nlp.candidates  # noqa: F401  (trained pipelines: the span suggester)
import annotator.nlp.combine  # noqa: F401  (trained pipelines: learned + rule spans)
import annotator.nlp.docdata  # noqa: F401  (registers its factory)
import annotator.nlp.events  # noqa: F401  (registers its factory)
import annotator.nlp.gazetteer  # noqa: F401  (registers its factory)
import annotator.nlp.quotes  # noqa: F401  (registers its factory)
import annotator.nlp.same_as  # noqa: F401  (registers its factory)
import annotator.nlp.sentences  # noqa: F401  (registers its factory)
import annotator.nlp.threats  # noqa: F401  (registers its factory)
