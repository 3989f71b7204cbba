"""The "news_quotes" component: direct and reported speech, its cue and its speaker, in stages.

Each stage is a module with one job; they share one `DocContext` per doc and hand on named
results (`Quote`, `Cue`, `Speaker`, `Reported`, all in ``records``):

============== ===============================================================================
``records``    the named results the stages hand on (no stage logic)
``marks``      quotation marks in the characters -> `Quote` token ranges (multi-paragraph
               quotes, single-quoted stretches; none inside markup); the in-quote mask
``scare``      scare-quoted terms ('so-called "peace corridor"'): nobody's words
``cues``       speech cues from resources/patterns/speech_verbs.jsonl that really report speech;
               QUOTE.channel from the words around a cue
``nouns``      speech nouns: "Sorell's statement that ...", "her remarks that ..."
``speakers``   the speaker span of a cue (its subject, a name in apposition, "according to X",
               a speech noun's possessor, a passive's agent), of a headline label ('Minister to
               miners: "..."'), a clause before a colon or a governing verb; never in the
               dateline, never a greeting
``attribution`` the cue and speaker of each direct quote (five rules), then propagation to
               continued, neighbouring and following quotes
``content``    the content clause of a cue (what was said): that-clauses, to-infinitives of
               threat cues, what follows a colon, fallbacks for misparses
``reported``   reported speech: that content trimmed to the gold convention, quoted fragments
               inside it made partial
``resolution`` SPEAKER spans, canonical names, roles, affiliations; SAME_AS from a pronoun or
               "the minister" to the person meant
``component``  the spaCy component (`match` / `set_annotations`) and its factory
============== ===============================================================================

A new rule goes into the stage it belongs to as one short function; a new word goes into
resources/patterns/ (speech_verbs.jsonl, speech_words.jsonl, person_titles.txt).
"""

from annotator.nlp.quotes.component import QuoteFinder, SpeechFindings, make_news_quotes
from annotator.nlp.quotes.marks import CharQuote, find_quotes
from annotator.nlp.quotes.records import Cue, Quote, Reported, Speaker

__all__ = [
    "CharQuote",
    "Cue",
    "Quote",
    "QuoteFinder",
    "Reported",
    "Speaker",
    "SpeechFindings",
    "find_quotes",
    "make_news_quotes",
]
