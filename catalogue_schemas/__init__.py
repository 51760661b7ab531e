"""marshmallow schemas of the hub's public API (no Flask, no pymongo)."""
