"""The analyst's view of a corpus, Qt-free: who said what, who threatens whom, what happened.

`query` (what a table asks for), `tables` (the three tables' columns and rows, built on the
store's queries), `actors` (proposing registry links from names and aliases), `dates`
(relative dates resolved against a document's date), `places` (datelines), `overview` (the
series the Corpus Overview charts) and `registry` (exporting the actor registry).
"""
