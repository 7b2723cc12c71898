"""Crafted tokens get a reason, never an error (found in review)."""

import base64
import json

import pytest

from cadre.credentials.verification import verify

pytestmark = pytest.mark.django_db


def _part(value: dict) -> str:
    return base64.urlsafe_b64encode(json.dumps(value).encode()).rstrip(b"=").decode()


@pytest.mark.parametrize(
    "header", [{"alg": "EdDSA", "kid": "http://[x/abc"}, {"alg": "EdDSA", "kid": "k", "crit": ["zz"]}]
)
def test_a_crafted_header_is_refused_with_a_reason(client, header):
    token = f"{_part(header)}.{_part({'a': 1})}.AAAA"
    result = verify(token)
    assert not result.valid and result.message
    response = client.post("/badges/verify/", {"token": token})
    assert response.status_code == 200
