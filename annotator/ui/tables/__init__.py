"""The analyst tables in the window: a Qt model over the store's paged queries and the view
with its filter bar (Speakers, Threats, Events), shown as tabs of one dock."""
