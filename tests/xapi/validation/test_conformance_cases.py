"""The validator against every statement the ADL conformance suite's Data configs POST.

The suite (GitHub adlnet/lrs-conformance-test-suite, installed outside the repository, as for
``make conformance``) builds its statement tests from templates; ``suite_cases.js`` expands them
with the suite's own helper into (statement, expected status) pairs. Each 400 case must raise
:class:`StatementInvalid` and each 200 case must pass. Skipped when ``$LRS_SUITE_DIR`` is unset.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import pytest

from xapi.validation import StatementInvalid, validate_statement

SUITE = os.environ.get("LRS_SUITE_DIR", "")
EXPANDER = Path(__file__).with_name("suite_cases.js")

pytestmark = [
    pytest.mark.slow,
    pytest.mark.skipif(
        not (SUITE and (Path(SUITE) / "test" / "helper.js").exists() and shutil.which("node")),
        reason="the ADL conformance suite is not installed ($LRS_SUITE_DIR) or node is missing",
    ),
]


@pytest.mark.parametrize(("directory", "version"), [("v1_0_3", "1.0.3"), ("v2_0", "2.0.0")])
def test_validator_agrees_with_the_suite(directory: str, version: str) -> None:
    if not (Path(SUITE) / "test" / directory).is_dir():
        pytest.skip(f"this suite has no {directory} tests")
    out = subprocess.run(
        ["node", str(EXPANDER), directory],
        cwd=SUITE,
        capture_output=True,
        check=True,
        timeout=120,
    ).stdout
    cases = json.loads(out)
    assert len(cases) > 900  # the 1.0.3 configs hold 950 statement cases
    wrong = []
    for case in cases:
        try:
            validate_statement(case["statement"], version=version)
            accepted = True
        except StatementInvalid:
            accepted = False
        if accepted != (case["expect"] in (200, 204)):
            wrong.append(f"{case['file']}: {case['name']} (expected {case['expect']})")
    assert wrong == []
