"""Teaching the tool: training a pipeline from the analyst's accepted labels, and ordering the
unfinished documents by how much labelling them would teach it. Pure Python, no Qt.

* `corpus`   -- the project's accepted labels as plain data, readiness checks, spaCy DocBins;
* `config`   -- the spaCy training config (sourced NER + spancat on the base pipeline);
* `progress` -- the training logger that reports steps and honours cancel;
* `train`    -- `train(store, options, progress, cancelled) -> TrainResult`, spaCy's own loop;
* `evaluate` -- per-label P/R/F1 of two pipelines on the same documents;
* `queue`    -- "most useful next": documents ranked by the model's uncertainty;
* `report`   -- the plain-text lines the CLI prints for those results.

The spaCy side of a trained pipeline (its suggester and the component that merges learned and
rule spans) lives in `annotator.nlp.candidates` and `annotator.nlp.combine`, so loading a trained
pipeline never needs this package.
"""
