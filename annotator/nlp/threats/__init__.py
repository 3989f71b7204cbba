"""The "news_threats" component: threats, their source, target and condition, in stages.

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

Beside the lexicon, threats are found as actions: reported or quoted future actions of the
speaker's side, ultimatums and threat nouns (stages ``reported``, ``ultimatums``, ``nominal``),
moded from the action itself (``modes``), never from the verb that reports them.

SOURCE is the speaker of the enclosing quote, else the subject; TARGET the object (a pronoun is
resolved to the nearest entity not on the source's side); CONDITION the "if/unless" clause, or a
"any attack ... shall" subject, without its "if/unless". THREAT.cameo comes from the schema's ``[mappings]``.

============== ===============================================================================
``lexicon``    candidates: lexicon matches and the complements of "threaten"
``reported``   the speaker side's future actions in what the quote stage found ("threatened to
               close ...", "warned that it would ... unless ...", '"we will ..."')
``ultimatums`` "gave X 48 hours to ... or ...", ", or else "..."", '"Pay up or ..."'
``nominal``    threat nouns: "its threat to close the border", "read as a threat to ..."
``modes``      THREAT.mode from the threatened action (resources/patterns/threat_modes.jsonl)
``records``    the named result the stages hand on (`Threat`)
``context``    the document as the stages see it: quotes per token, speakers' sides, if-marks
``evidence``   one-fact predicates (cue above, modal, ultimatum, own side, past, objects)
``conditions`` the explicit if/unless clause or the implicit "any attack ..." condition
``judge``      accept or reject a candidate per kind -> `Threat`; ``extent`` its span
``parties``    SOURCE and TARGET
``emission``   merging and writing; ``codes`` the CAMEO codes from the schema
``component``  the spaCy component (`match` / `set_annotations`) and its factory
============== ===============================================================================
"""

from annotator.nlp.threats.component import ThreatFinder, make_news_threats
from annotator.nlp.threats.records import Threat

__all__ = ["Threat", "ThreatFinder", "make_news_threats"]
