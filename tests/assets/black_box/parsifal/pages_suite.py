"""A black-box suite of parsifal's pages, as a user would write one: plain HTTP calls with httpx
against BASE_URL, re-runnable (each run signs up a user of its own).

    BASE_URL=http://localhost:8000 pytest tests/assets/black_box/parsifal/pages_suite.py
    migrator verify OUT --suite 'BASE_URL={base_url} python -m pytest tests/assets/black_box/parsifal/pages_suite.py -q -p no:cacheprovider --junitxml {junit}'
"""

from __future__ import annotations

import os
import re
import uuid
from collections.abc import Iterator

import httpx
import pytest

BASE_URL = os.environ.get("BASE_URL", "http://localhost:8000")


@pytest.fixture()
def client() -> Iterator[httpx.Client]:
    with httpx.Client(base_url=BASE_URL, timeout=30.0) as http:
        yield http


def _csrf(client: httpx.Client, path: str) -> str:
    page = client.get(path)
    assert page.status_code == 200, page.text[:500]
    found = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page.text)
    assert found, page.text[:500]
    return found.group(1)


def _sign_up(client: httpx.Client) -> str:
    username = f"user{uuid.uuid4().hex[:10]}"
    token = _csrf(client, "/signup/")
    answer = client.post("/signup/", data={"csrfmiddlewaretoken": token, "username": username, "email": f"{username}@example.com",
                                           "password1": "a-Long-passw0rd!", "password2": "a-Long-passw0rd!"})
    assert answer.status_code == 302, answer.text[:1000]
    return username


@pytest.mark.parametrize("path", ["/", "/about/", "/help/", "/blog/", "/login/", "/signup/"])
def test_public_pages_answer(client: httpx.Client, path: str) -> None:
    page = client.get(path)
    assert page.status_code == 200
    assert page.headers["content-type"].startswith("text/html")


def test_robots_txt_is_plain_text(client: httpx.Client) -> None:
    answer = client.get("/robots.txt")
    assert answer.status_code == 200
    assert answer.headers["content-type"].startswith("text/plain")


def test_the_settings_need_a_login(client: httpx.Client) -> None:
    answer = client.get("/settings/profile/")
    assert answer.status_code == 302
    assert "/login/" in answer.headers["location"]


def test_a_wrong_password_is_refused(client: httpx.Client) -> None:
    token = _csrf(client, "/login/")
    answer = client.post("/login/", data={"csrfmiddlewaretoken": token, "username": "nobody", "password": "wrong"})
    assert answer.status_code == 200
    assert "csrfmiddlewaretoken" in answer.text


def test_a_new_user_signs_up_logs_in_and_sees_the_dashboard(client: httpx.Client) -> None:
    username = _sign_up(client)
    client.cookies.clear()
    token = _csrf(client, "/login/")
    answer = client.post("/login/", data={"csrfmiddlewaretoken": token, "username": username, "password": "a-Long-passw0rd!"})
    assert answer.status_code == 302, answer.text[:1000]
    dashboard = client.get("/")
    assert dashboard.status_code == 200
    assert username in dashboard.text
    profile = client.get("/settings/profile/")
    assert profile.status_code == 200
    assert username in profile.text
    assert client.get("/reviews/new/").status_code == 200
    assert client.get(f"/{username}/following/").status_code == 200
