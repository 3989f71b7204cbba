"""Each analyst table declared once: its label, the roles whose spans are its actors, the columns
the view shows, the columns its CSV file has and its View command.

The store builds its SQL from a spec (which label, which roles filter and group by actor), the
view its headers and tab titles, the View menu its Speakers / Threats / Events commands, and the
CSV export writes the same row values the view shows (analysis/tables.py `row_values`), so a
table and its CSV cannot name the same speaker two ways. A linked mention is named by one rule,
in the store's SQL (store/tables.py `_name`): its actor's name, else its `canonical_name`, else
a SAME_AS partner's name, else its text.
"""

from __future__ import annotations

from dataclasses import dataclass

QUOTES, THREATS, EVENTS = "quotes", "threats", "events"
TABLES = (QUOTES, THREATS, EVENTS)


@dataclass(frozen=True)
class Column:
    key: str  # the row value shown, and the store's sort key
    header: str
    tip: str = ""
    sortable: bool = True
    width: int = 120  # pixels, a starting width


@dataclass(frozen=True)
class TableSpec:
    name: str  # QUOTES, THREATS or EVENTS
    title: str  # the tab
    label: str  # one row per span of this label
    category_attr: str  # the attribute the category filter matches
    actor_roles: tuple[str, ...]  # links to "the actor" of a row: the actor filter follows them
    group_title: str  # the actor of a row, in "by actor" mode; groups follow actor_roles[0]
    columns: tuple[Column, ...]  # the view's
    csv_columns: tuple[str, ...]  # the CSV file's header: keys of `row_values`
    menu_text: str  # View > ... (with its & mnemonic); the command is show_<title in lower case>
    summary: str  # the command's tip

    @property
    def group_role(self) -> str:
        return self.actor_roles[0]

    @property
    def csv_file(self) -> str:
        return f"{self.name}.csv"


_DOC = ("document_id", "title", "published")
_DOCUMENT_COLUMNS = (
    Column("title", "Document", width=220),
    Column("published", "Date", "The document's published date", width=90),
    Column("status", "Status", width=80),
)

SPECS: dict[str, TableSpec] = {
    QUOTES: TableSpec(
        QUOTES, "Speakers", "QUOTE", "speech_act", ("SAID_BY",), "Speaker",
        (Column("speaker", "Speaker", "Who said it: the speaker's actor, else its name", width=150),
         Column("role", "Role", "The actor's role, else the speaker's role attribute"),
         Column("affiliation", "Affiliation"),
         Column("quote", "Quote", width=360),
         Column("kind", "Kind", width=80),
         Column("speech_act", "Speech act", width=100),
         *_DOCUMENT_COLUMNS),
        _DOC + ("quote", "speaker_text", "speaker", "speaker_actor", "role", "affiliation", "kind",
                "speech_act", "channel", "cue", "start", "end"),
        "S&peakers", "Who said what, across the corpus: one row per quote"),
    THREATS: TableSpec(
        THREATS, "Threats", "THREAT", "mode", ("SOURCE", "TARGET"), "Threat source",
        (Column("source", "Source", "Who threatens (SOURCE link)", width=150),
         Column("target", "Target", "Who is threatened (TARGET link)", width=150),
         Column("threat", "Threatened action", width=300),
         Column("type", "Type", width=90),
         Column("mode", "Mode", width=90),
         Column("condition", "Condition", width=200),
         Column("cameo", "CAMEO", "The cameo attribute, else the schema's code for the mode", width=90),
         Column("plover", "PLOVER", sortable=False, width=160),
         *_DOCUMENT_COLUMNS),
        _DOC + ("source_text", "source", "source_actor", "target_text", "target", "target_actor",
                "threat", "type", "mode", "condition", "cameo", "plover", "start", "end"),
        "&Threats", "Who threatens whom: one row per threat"),
    EVENTS: TableSpec(
        EVENTS, "Events", "EVENT", "type", ("PARTICIPANT",), "Participant",
        (Column("type", "Type", width=130),
         Column("trigger", "Event", "The words naming what happened", width=160),
         Column("participants", "Participants", width=200),
         Column("place", "Place", "PLACE link, else the nearest place in the paragraph, marked"
                " (nearby), else the dateline's, marked (dateline)", width=140),
         Column("time", "Time", "TIME link, else the nearest date in the paragraph, resolved "
                "against the dateline or published date", width=170),
         Column("casualties", "Casualties", width=120),
         Column("outcome", "Outcome", width=80),
         *_DOCUMENT_COLUMNS),
        _DOC + ("type", "trigger", "participants_text", "participants", "participant_actors", "time", "place",
                "casualties", "outcome", "modality", "acled", "cameo", "plover", "start", "end"),
        "E&vents", "What happened, where and when: one row per event"),
}

# The CSV header of a value whose key reads differently in a file (the names people import by).
CSV_HEADERS = {
    "speaker_text": "speaker", "speaker": "speaker_canonical_name", "speaker_actor": "speaker_actor_id",
    "source_text": "source", "source": "source_canonical_name", "source_actor": "source_actor_id",
    "target_text": "target", "target": "target_canonical_name", "target_actor": "target_actor_id",
    "participants_text": "participants", "participants": "participant_canonical_names",
    "participant_actors": "participant_actor_ids",
}


def csv_header(spec: TableSpec) -> list[str]:
    return [CSV_HEADERS.get(key, key) for key in spec.csv_columns]
