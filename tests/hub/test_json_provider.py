"""The app's JSON provider: orjson both ways, Flask's formats kept."""

from __future__ import annotations

import datetime
import decimal
import uuid
from typing import Any


def test_responses_are_written_by_orjson_in_flasks_formats(app: Any) -> None:
    value = {"z": 1, "a": datetime.datetime(2024, 1, 2, tzinfo=datetime.UTC),
             "d": decimal.Decimal("1.5"), "u": uuid.UUID(int=1), 3: "x"}
    with app.app_context():
        text = app.json.dumps(value)
    # orjson's compact form, keys in the order given (Flask 3.1 ignores JSON_SORT_KEYS)
    assert text == ('{"z":1,"a":"Tue, 02 Jan 2024 00:00:00 GMT","d":"1.5",'
                    '"u":"00000000-0000-0000-0000-000000000001","3":"x"}')


def test_what_orjson_cannot_write_falls_back_to_flasks_writer(app: Any) -> None:
    with app.app_context():
        assert app.json.dumps({"big": 2**70}) == '{"big": 1180591620717411303424}'
        # a number parsed from a body is written back as it was written (storage.json_text)
        body = '{"big":1180591620717411303424,"huge":1e400}'
        assert app.json.dumps(app.json.loads(body)) == body
