"""The recommendation benchmark still runs (scaled down to a few calls over 60 courses), so
``make bench`` does not find it broken."""

from __future__ import annotations

from typing import Any


def test_the_benchmark_runs_scaled_down(monkeypatch: Any, capsys: Any) -> None:
    from benchmarks import recommend

    monkeypatch.setenv("HUB_BENCH_RECOMMEND_COURSES", "60")
    monkeypatch.setattr(recommend, "CALLS", 5)
    lines = recommend.run()
    assert lines[0].startswith("recommend     60 courses, 200 competencies, 10 required")
    assert "p95" in lines[0] and "built in" in lines[1]
    assert capsys.readouterr().out.count("recommend") >= 2
