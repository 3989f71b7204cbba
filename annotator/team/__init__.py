"""Team annotation: packs per annotator, merging them back, agreement, curation (Qt-free)."""
