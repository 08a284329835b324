"""E-motorcycle supply chain: local content (TKDN), localisation, transition, swap packs."""
