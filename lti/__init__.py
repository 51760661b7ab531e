"""LTI 1.3 tool and platform sides (DESIGN.md, LTI 1.3). Empty: nothing is served from here yet."""
