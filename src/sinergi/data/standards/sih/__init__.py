"""Standar Industri Hijau (SIH): the structure of an SIH as a pack to encode."""
