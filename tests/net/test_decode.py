"""JSON answers through orjson, with requests' decoder for what orjson refuses."""

import pytest
import requests

from auditor.net.decode import response_json


def _resp(body: bytes) -> requests.Response:
    r = requests.Response()
    r._content = body
    r.status_code = 200
    r.encoding = "utf-8"
    return r


def test_json_is_decoded_and_what_orjson_refuses_still_parses_as_before():
    assert response_json(_resp(b'{"a": [1, "\\u00e9"]}')) == {"a": [1, "é"]}
    nan = response_json(_resp(b'{"x": NaN, "big": 123456789012345678901234567890}'))
    assert nan["big"] == 123456789012345678901234567890 and nan["x"] != nan["x"]
    with pytest.raises(ValueError):
        response_json(_resp(b"<html>not json</html>"))
