"""Titles of plain-text articles: the first line when it is a headline, else the first sentence
cut at a word near 80 characters."""

from __future__ import annotations

import pytest

from annotator.formats.titles import TITLE_CUT, title_from_text

LONG_SENTENCE = ("Minister Amara Velko warned on Tuesday that Norland would close the northern "
                 "border crossings to all freight traffic until further notice.")

CASES = [
    # (why, text, title)
    ("a headline line", "Velko warns Norland\n\nPORT ILSE - The minister said.",
     "Velko warns Norland"),
    ("a headline without a blank line after it", "Talks resume in Geneva\nBoth sides met.",
     "Talks resume in Geneva"),
    ("a short first sentence on its own line", "Rebels denied the claim.\nThey said more.",
     "Rebels denied the claim."),
    ("leading blank lines and spaces", "\n\n   Port strike ends  \nDockers returned.",
     "Port strike ends"),
    ("a Markdown heading", "## Border closed\n\nText.", "Border closed"),
    ("a long first line: its first sentence, cut with an ellipsis",
     LONG_SENTENCE + " Officials gave no date.",
     "Minister Amara Velko warned on Tuesday that Norland would close the northern\u2026"),
    ("a long line whose first sentence is short",
     "Rebels denied the claim. " + LONG_SENTENCE, "Rebels denied the claim."),
    ("a hard-wrapped paragraph runs on into the next line",
     "The minister said on Tuesday that the border\nwould be closed. Then more.",
     "The minister said on Tuesday that the border would be closed."),
    ("a line ending in a comma runs on", "Speaking in Port Ilse,\nVelko said talks failed.",
     "Speaking in Port Ilse, Velko said talks failed."),
    ("abbreviations and initials do not end a sentence",
     "Dr. J. Velko told the U.S. envoy on Tuesday that talks had failed and that Norland "
     "would respond. More text.",
     "Dr. J. Velko told the U.S. envoy on Tuesday that talks had failed and that\u2026"),
    ("a quote with its closing mark", "\u201cWe will not wait.\u201d She left. " + "x " * 60,
     "\u201cWe will not wait.\u201d"),
    ("one endless word is cut inside it", "A" * 300, "A" * TITLE_CUT + "\u2026"),
    ("nothing but whitespace", " \n\t\n ", ""),
    ("empty", "", ""),
]


@pytest.mark.parametrize(("text", "title"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_title_from_text(text, title):
    assert title_from_text(text) == title


def test_titles_stay_short_and_never_read_the_whole_article():
    text = "word " * 200_000  # a megabyte with no sentence end
    title = title_from_text(text)
    assert title.endswith("\u2026") and len(title) <= TITLE_CUT + 1


ARTICLE = LONG_SENTENCE + " Officials in the capital refused to comment on the decision."


@pytest.mark.parametrize("kind", ["txt", "brat", "jsonl", "doccano", "labelstudio"])
def test_every_reader_titles_an_untitled_article_the_same_way(tmp_path, kind):
    """A long single-line article from any tool gets the plain-text rule's title, not its
    whole first line (brat and the JSON readers used to cut the line at 200 characters)."""
    import json

    from annotator.services.importing import import_paths
    from annotator.store import Store

    if kind in ("txt", "brat"):
        (tmp_path / "story.txt").write_text(ARTICLE, encoding="utf-8")
        path = tmp_path / "story.txt"
        if kind == "brat":
            path = tmp_path / "story.ann"
            path.write_text("T1\tPERSON 9 20\tAmara Velko\n", encoding="utf-8")
    else:
        record = {"jsonl": {"text": ARTICLE},
                  "doccano": {"text": ARTICLE, "label": [[9, 20, "PERSON"]]},
                  "labelstudio": [{"data": {"text": ARTICLE}, "annotations": []}]}[kind]
        path = tmp_path / ("story.json" if kind == "labelstudio" else "story.jsonl")
        path.write_text(json.dumps(record), encoding="utf-8")
    with Store(tmp_path / "p.db") as store:
        report = import_paths(store, [path])
        assert report.documents_added == 1, report.problems
        doc = store.document(report.added_ids[0])
    assert doc.title == title_from_text(ARTICLE) == LONG_SENTENCE[:LONG_SENTENCE.rfind(" ", 0, 81)] \
        + "\u2026"
