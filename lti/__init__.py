"""LTI 1.3 tool and platform sides (a later issue; nothing is served from here yet)."""
