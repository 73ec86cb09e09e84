"""A clerk in the browser, without the browser: a logged-in test client whose form posts carry
the CSRF token the pages hand out."""
from __future__ import annotations

import re

from tests.factories import PASSWORD

TOKEN = re.compile(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"')


class Clerk:
    def __init__(self, app, factory, role: str, region: str, username: str | None = None):
        self.client = app.test_client()
        self.user, _token = factory.user(role, region, username=username)
        self.role, self.region = role, region
        page = self.client.get("/login")
        self.token = TOKEN.search(page.text).group(1)
        response = self.client.post("/login", data={"username": self.user.username, "password": PASSWORD,
                                                    "csrf_token": self.token})
        assert response.status_code == 302, response.text
        # logging in starts a new session, and with it a new token
        self.token = TOKEN.search(self.client.get("/home", follow_redirects=True).text).group(1)

    def get(self, path: str, **kwargs):
        return self.client.get(path, **kwargs)

    def post(self, path: str, data: dict | None = None, follow: bool = True, **kwargs):
        """A form post with the session's CSRF token; follows the redirect to the page shown next."""
        return self.client.post(path, data={**(data or {}), "csrf_token": self.token}, follow_redirects=follow, **kwargs)

    def post_without_token(self, path: str, data: dict | None = None):
        return self.client.post(path, data=data or {})


def messages(html: str, kind: str = "error") -> list[str]:
    """The flashed messages of a kind (error | ok | info) on a page."""
    return [re.sub(r"<[^>]+>", "", m).strip() for m in re.findall(rf'<p class="message {kind}"[^>]*>(.*?)</p>', html, re.S)]
