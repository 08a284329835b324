"""Reports: plain-data summaries, terminal text and HTML built from engine results.

Nothing here computes a domain result of its own; it formats what the model and the
engines return.
"""
