"""Statement forwarding to downstream LRSs."""
