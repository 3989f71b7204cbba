"""The Team menu's windows: assign, merge, the Agreement window and the curation view."""
