"""News Annotator: label speakers, threats and events in news articles."""

__version__ = "0.1.0"
