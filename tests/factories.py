"""Small factory functions building valid objects, and a thin API client for tests."""
from __future__ import annotations

import itertools
from typing import Any

from stdnum.cn import ric
from werkzeug.security import generate_password_hash

SENDING, RECEIVING, PAIRING = "510524", "330825", "xuyong-longyou"
OTHER_SENDING, OTHER_RECEIVING, OTHER_PAIRING = "451228", "440309", "duan-longhua"
PASSWORD = "Pw-test-123456"
# Hashing once per test run: the service's scrypt hash is deliberately slow.
_PASSWORD_HASH = generate_password_hash(PASSWORD)
_counter = itertools.count(1)


def national_id(born: str = "19900512", order: int | None = None, prefix: str = SENDING, male: bool = True) -> str:
    if order is None:
        order = next(_counter) % 500 * 2 + (1 if male else 0)
    body = f"{prefix}{born}{order:03d}"
    return body + ric.calc_check_digit(body + "0")


def phone() -> str:
    return f"138{next(_counter):08d}"


def seeker_body(**overrides: Any) -> dict[str, Any]:
    body = {
        "name": "龙志明", "national_id": national_id(), "phone": phone(), "gender": "M", "education": "junior",
        "skills": ["电子装配"], "occupations_wanted": ["电子装配"], "wage_expectation_fen": 400000,
        "work_type": "long_term", "available_from": "2026-03-01", "household_status": "registered_poor",
        "consent_to_share": True,
    }
    body.update(overrides)
    return body


def uscc(serial: int = 1, region: str = RECEIVING) -> str:
    from exchange.demo import make_uscc
    return make_uscc(region, serial)


def employer_body(**overrides: Any) -> dict[str, Any]:
    body = {"name": "龙游锦程电子科技有限公司", "uscc": uscc(next(_counter)), "contact_name": "陈经理",
            "contact_phone": "0570-1234567", "address": "龙游经济开发区1号"}
    body.update(overrides)
    return body


def posting_body(employer_id: int, **overrides: Any) -> dict[str, Any]:
    body = {"employer_id": employer_id, "title": "电子装配工", "occupation": "电子装配", "headcount": 5,
            "wage_min_fen": 400000, "wage_max_fen": 550000,
            "requirements": {"gender": "any", "age_min": 18, "age_max": 50, "education_min": "primary", "skills": []},
            "work_type": "long_term", "location_region": RECEIVING, "address": "龙游经济开发区1号",
            "housing": True, "meals": True, "contract_months": 12, "start_date": "2026-03-20",
            "interview_mode": "remote"}
    body.update(overrides)
    return body


class Api:
    """A test client that sends the bearer token and answers (status, json)."""

    def __init__(self, client, token: str):
        self.client, self.token = client, token

    def _headers(self, headers):
        return {"Authorization": f"Bearer {self.token}", **(headers or {})}

    def get(self, path: str, **kwargs):
        r = self.client.get(path, headers=self._headers(kwargs.pop("headers", None)), **kwargs)
        return r.status_code, (r.get_json(silent=True) if r.is_json else r)

    def post(self, path: str, json: Any = None, headers=None, **kwargs):
        r = self.client.post(path, json=json, headers=self._headers(headers), **kwargs)
        return r.status_code, (r.get_json(silent=True) if r.is_json else r)

    def put(self, path: str, json: Any = None, headers=None):
        r = self.client.put(path, json=json, headers=self._headers(headers))
        return r.status_code, r.get_json(silent=True)

    def patch(self, path: str, json: Any = None, headers=None):
        r = self.client.patch(path, json=json, headers=self._headers(headers))
        return r.status_code, r.get_json(silent=True)

    def upload(self, path: str, filename: str, content: bytes, field: str = "file", data=None, headers=None):
        import io
        form = dict(data or {})
        form[field] = (io.BytesIO(content), filename)
        r = self.client.post(path, data=form, headers=self._headers(headers), content_type="multipart/form-data")
        return r.status_code, r.get_json(silent=True)


class Factory:
    def __init__(self, app):
        self.app = app

    def user(self, role: str, region: str, username: str | None = None):
        from exchange.accounts.models import User
        from exchange.accounts.service import create_token
        from exchange.core.context import current_context
        from exchange.extensions import db

        with self.app.app_context():
            ctx = current_context()
            user = User(username=username or f"{role}-{region}-{next(_counter)}", password_hash=_PASSWORD_HASH,
                        role=role, region=region, created_at=ctx.clock.now())
            db.session.add(user)
            db.session.commit()
            token = create_token(ctx, user)
            db.session.refresh(user)
            db.session.expunge(user)
        return user, token

    def approved_employer(self, api_receiving: Api, **overrides) -> dict:
        status, employer = api_receiving.post("/api/v1/employers", employer_body(**overrides))
        assert status == 201, employer
        status, employer = api_receiving.post(f"/api/v1/employers/{employer['id']}/vet",
                                              {"decision": "approved", "reason": "资质齐全"})
        assert status == 200, employer
        return employer
