"""Benchmarks run by ``make bench`` (figures printed, never asserted in tests)."""
