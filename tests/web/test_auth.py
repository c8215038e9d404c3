"""Trainer accounts: the service (passwords, login links, API tokens) and the pages."""

from __future__ import annotations

import hashlib
import re
from datetime import UTC, datetime, timedelta

import pytest
from flask import url_for
from werkzeug.security import check_password_hash

from simulator.extensions import db
from simulator.models import Trainer
from simulator.services import accounts
from simulator.services.accounts import AccountError
from simulator.throttle import LIMITS, Throttles
from simulator.web.auth import init_auth, safe_next

EN = {"Accept-Language": "en"}


class FakeClock:
    def __init__(self) -> None:
        self.t = 1000.0

    def __call__(self) -> float:
        return self.t


@pytest.fixture
def app(make_app):
    app = make_app()
    init_auth(app)  # create_app will call it; calling it twice is harmless
    return app


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield


@pytest.fixture
def trainer(app):
    """A trainer called alice whose password is "correct horse"."""
    with app.app_context():
        trainer, _ = accounts.create_trainer("alice", "correct horse")
        return trainer.id


@pytest.fixture
def clock(app):
    """A fake clock for the throttles."""
    clock = FakeClock()
    app.extensions["stormdrill.throttles"] = Throttles.make(now=clock)
    return clock


def text(response) -> str:
    return response.get_data(as_text=True)


def csrf_token(page: str) -> str:
    match = re.search(r'<input[^>]*name="csrf_token"[^>]*value="([^"]+)"', page)
    assert match, "no CSRF token in the page"
    return match.group(1)


def log_in(client, name="alice", password="correct horse", address="127.0.0.1", **extra):
    token = csrf_token(text(client.get("/login", headers=EN)))
    data = {"csrf_token": token, "name": name, "password": password, **extra}
    return client.post("/login", data=data, headers=EN, environ_base={"REMOTE_ADDR": address})


def logged_in(client) -> bool:
    return client.get("/account").status_code == 200


def default_landing(app) -> str:
    with app.test_request_context():
        return url_for("trainer.sessions") if "trainer.sessions" in app.view_functions else "/"


# The service: creating trainers and passwords


def test_create_trainer_generates_a_password_when_none_is_given(ctx):
    trainer, password = accounts.create_trainer("  Alice Martin ")
    assert trainer.name == "Alice Martin"
    assert password and len(password) >= 16
    assert accounts.authenticate("Alice Martin", password) == trainer


def test_create_trainer_with_a_password_returns_none_and_stores_only_a_hash(ctx):
    trainer, password = accounts.create_trainer("bob", "s3cret-pass")
    assert password is None
    assert "s3cret-pass" not in trainer.password_hash
    assert check_password_hash(trainer.password_hash, "s3cret-pass")


@pytest.mark.parametrize(
    ("name", "code"),
    [
        ("", "name_empty"),
        ("   ", "name_empty"),
        ("x" * 81, "name_too_long"),
        ("a\nb", "name_invalid"),
    ],
)
def test_create_trainer_refuses_bad_names(ctx, name, code):
    with pytest.raises(AccountError) as error:
        accounts.create_trainer(name)
    assert error.value.code == code


def test_a_name_of_80_characters_is_fine(ctx):
    trainer, _ = accounts.create_trainer("x" * 80)
    assert len(trainer.name) == 80


def test_names_are_unique(ctx, trainer):
    with pytest.raises(AccountError, match="already called 'alice'") as error:
        accounts.create_trainer(" alice ")
    assert error.value.code == "name_taken"
    assert db.session.query(Trainer).count() == 1


def test_passwords_are_at_least_8_characters(ctx):
    with pytest.raises(AccountError) as error:
        accounts.create_trainer("bob", "short")
    assert error.value.code == "password_too_short"


def test_authenticate_refuses_a_wrong_password_or_an_unknown_name(ctx, trainer):
    assert accounts.authenticate("alice", "correct horse").id == trainer
    assert accounts.authenticate("alice", "wrong horse") is None
    assert accounts.authenticate("alice", "") is None
    assert accounts.authenticate("nobody", "correct horse") is None
    assert accounts.authenticate("alice", "x" * 5000) is None


def test_reset_password_generates_one_and_the_old_one_stops_working(ctx, trainer):
    _, password = accounts.reset_password("alice")
    assert password
    assert accounts.authenticate("alice", "correct horse") is None
    assert accounts.authenticate("alice", password).id == trainer
    _, none = accounts.reset_password("alice", "brand new pass")
    assert none is None
    assert accounts.authenticate("alice", "brand new pass").id == trainer


def test_reset_password_of_an_unknown_trainer_is_an_error(ctx):
    with pytest.raises(AccountError) as error:
        accounts.reset_password("nobody")
    assert error.value.code == "unknown_trainer"


def test_change_password_checks_the_old_one_and_the_length(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    with pytest.raises(AccountError) as error:
        accounts.change_password(alice, "wrong horse", "another pass")
    assert error.value.code == "wrong_password"
    with pytest.raises(AccountError) as error:
        accounts.change_password(alice, "correct horse", "1234567")
    assert error.value.code == "password_too_short"
    accounts.change_password(alice, "correct horse", "12345678")
    assert accounts.authenticate("alice", "12345678").id == trainer
    assert accounts.authenticate("alice", "correct horse") is None


def test_ensure_first_trainer_creates_trainer_once(ctx):
    first, created = accounts.ensure_first_trainer("first pass")
    assert created and first.name == "trainer"
    assert accounts.authenticate("trainer", "first pass") == first
    again, created = accounts.ensure_first_trainer("other pass")
    assert not created and again == first
    assert db.session.query(Trainer).count() == 1


def test_ensure_first_trainer_keeps_an_existing_trainer(ctx, trainer):
    found, created = accounts.ensure_first_trainer()
    assert not created and found.id == trainer
    assert accounts.get_trainer("trainer") is None


# The service: one-time login links


def test_a_login_link_works_once(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    token = accounts.issue_login_link(alice)
    assert alice.login_token_hash == hashlib.sha256(token.encode()).hexdigest()
    assert accounts.consume_login_token(token).id == trainer
    assert accounts.consume_login_token(token) is None
    assert db.session.get(Trainer, trainer).login_token_hash is None


def test_a_login_link_expires_after_15_minutes(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    start = datetime.now(UTC)
    token = accounts.issue_login_link(alice, now=start)
    late = start + timedelta(minutes=15, seconds=1)
    assert accounts.consume_login_token(token, now=late) is None
    # an expired link is spent as well: it does not work later either, even "in time"
    assert accounts.consume_login_token(token, now=start) is None
    token = accounts.issue_login_link(alice, now=start)
    assert accounts.consume_login_token(token, now=start + timedelta(minutes=14)).id == trainer


def test_a_login_link_with_a_custom_ttl(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    start = datetime.now(UTC)
    token = accounts.issue_login_link(alice, ttl=timedelta(seconds=30), now=start)
    assert accounts.consume_login_token(token, now=start + timedelta(seconds=31)) is None


def test_a_new_login_link_replaces_the_previous_one(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    old = accounts.issue_login_link(alice)
    new = accounts.issue_login_link(alice)
    assert accounts.consume_login_token(old) is None
    assert accounts.consume_login_token(new).id == trainer


@pytest.mark.parametrize("token", ["", "nope", "x" * 500])
def test_unknown_login_tokens_open_nothing(ctx, trainer, token):
    accounts.issue_login_link(db.session.get(Trainer, trainer))
    assert accounts.consume_login_token(token) is None


# The service: API tokens


def test_api_token_rotate_and_revoke(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    first = accounts.issue_api_token(alice)
    assert len(first) >= 40
    assert alice.api_token_hash == hashlib.sha256(first.encode()).hexdigest()
    assert accounts.trainer_for_api_token(first).id == trainer
    second = accounts.issue_api_token(alice)
    assert second != first
    assert accounts.trainer_for_api_token(first) is None
    assert accounts.trainer_for_api_token(second).id == trainer
    accounts.revoke_api_token(alice)
    assert accounts.trainer_for_api_token(second) is None
    assert db.session.get(Trainer, trainer).api_token_hash is None


@pytest.mark.parametrize("token", ["", "Bearer", "x" * 500])
def test_unknown_api_tokens_open_nothing(ctx, trainer, token):
    accounts.issue_api_token(db.session.get(Trainer, trainer))
    assert accounts.trainer_for_api_token(token) is None


def test_login_and_api_tokens_are_not_interchangeable(ctx, trainer):
    alice = db.session.get(Trainer, trainer)
    api = accounts.issue_api_token(alice)
    link = accounts.issue_login_link(alice)
    assert accounts.consume_login_token(api) is None
    assert accounts.trainer_for_api_token(link) is None


# Pages: logging in and out


def test_login_page_has_a_labelled_form_with_a_csrf_token(client):
    page = text(client.get("/login", headers=EN))
    assert '<label class="field__label" for="name">Name</label>' in page
    assert '<label class="field__label" for="password">Password</label>' in page
    assert 'autocomplete="current-password"' in page
    assert csrf_token(page)
    assert "<script" not in page


def test_login_page_is_french_by_default(client):
    assert '<html lang="fr">' in text(client.get("/login"))


def test_login_with_the_right_password_goes_to_the_trainer_pages(app, client, trainer):
    response = log_in(client)
    assert response.status_code == 302
    assert response.headers["Location"] == default_landing(app)
    assert logged_in(client)


def test_login_lands_on_the_sessions_page_when_there_is_one(make_app):
    app = make_app()
    init_auth(app)
    if "trainer.sessions" not in app.view_functions:
        app.add_url_rule("/trainer/sessions", "trainer.sessions", lambda: "sessions")
    with app.app_context():
        accounts.create_trainer("alice", "correct horse")
    response = log_in(app.test_client())
    with app.test_request_context():
        assert response.headers["Location"] == url_for("trainer.sessions")


def test_the_session_cookie_is_not_remembered(client, trainer):
    log_in(client)
    assert client.get_cookie("remember_token") is None
    session_cookie = client.get_cookie("session")
    assert session_cookie.expires is None and session_cookie.http_only


def test_login_with_a_wrong_password_says_so(client, trainer):
    response = log_in(client, password="wrong horse")
    assert response.status_code == 200
    assert "Wrong name or password." in text(response)
    assert 'value="alice"' in text(response)  # the name stays, the password does not
    assert "wrong horse" not in text(response)
    assert not logged_in(client)


def test_login_with_an_unknown_name_says_the_same(client, trainer):
    response = log_in(client, name="mallory")
    assert "Wrong name or password." in text(response)


def test_login_with_empty_fields_says_what_is_missing(client, trainer):
    response = log_in(client, name="", password="")
    page = text(response)
    assert "Enter your name." in page and "Enter your password." in page
    assert 'aria-invalid="true"' in page and 'aria-describedby="name-error"' in page


def test_login_without_the_csrf_token_is_refused(client, trainer):
    response = client.post(
        "/login", data={"name": "alice", "password": "correct horse"}, headers=EN
    )
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    assert not logged_in(client)


def test_login_with_a_forged_csrf_token_is_refused(client, trainer):
    client.get("/login")
    data = {"csrf_token": "forged", "name": "alice", "password": "correct horse"}
    assert client.post("/login", data=data).status_code == 400
    assert not logged_in(client)


def test_login_goes_to_the_next_page(client, trainer):
    response = log_in(client, next="/account?tab=api")
    assert response.headers["Location"] == "/account?tab=api"


def test_the_login_page_keeps_next_from_the_query_string(client):
    page = text(client.get("/login", query_string={"next": "/account"}))
    assert 'name="next" type="hidden" value="/account"' in page


@pytest.mark.parametrize(
    "target",
    [
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "\\\\evil.example",
        "http:evil.example",
        "javascript:alert(1)",
        "http://localhost/account",
        "/\r\nSet-Cookie: x=1",
        " //evil.example",
        "account",
    ],
)
def test_login_never_redirects_to_another_site(app, client, trainer, target):
    assert safe_next(target) is None
    response = log_in(client, next=target)
    assert response.headers["Location"] == default_landing(app)


def test_visiting_the_login_page_when_logged_in_moves_on(client, trainer):
    log_in(client)
    response = client.get("/login", query_string={"next": "/account"})
    assert response.status_code == 302 and response.headers["Location"] == "/account"


def test_the_account_page_sends_anonymous_visitors_to_the_login_page(client):
    response = client.get("/account", headers=EN)
    assert response.status_code == 302
    assert response.headers["Location"] == "/login?next=%2Faccount"
    page = text(client.get(response.headers["Location"], headers=EN))
    assert "Please log in to open this page." in page


def test_logout(client, trainer):
    log_in(client)
    token = csrf_token(text(client.get("/account")))
    response = client.post("/logout", data={"csrf_token": token}, headers=EN)
    assert response.status_code == 303
    assert response.headers["Location"] == "/login"
    assert "You are logged out." in text(client.get("/login", headers=EN))
    assert not logged_in(client)


def test_logout_needs_a_post_with_a_csrf_token(client, trainer):
    log_in(client)
    assert client.get("/logout").status_code == 405
    assert client.post("/logout").status_code == 400
    assert logged_in(client)


# Pages: the throttle


def test_five_failures_slow_the_name_down_for_a_minute_not_longer(client, trainer, clock):
    for _ in range(4):
        assert "Wrong name or password." in text(log_in(client, password="wrong"))
        clock.t += 1
    response = log_in(client, password="wrong")
    assert response.status_code == 429
    assert response.headers["Retry-After"] == "56"
    assert "Too many failed attempts. Try again in 1 minute." in text(response)
    # the right password is refused too for now, without being checked
    assert log_in(client).status_code == 429 and not logged_in(client)
    clock.t += 56
    assert log_in(client).status_code == 302
    assert logged_in(client)


def test_the_owner_gets_in_a_minute_after_a_long_guessing_run(app, client, trainer, clock):
    thief = app.test_client()
    for _ in range(6):
        for _ in range(5):
            log_in(thief, password="guess", address="10.0.0.66")
        clock.t += 61
    clock.t += 61
    response = log_in(client, address="10.0.0.7")
    assert response.status_code == 302


def test_an_address_is_throttled_across_names(app, client, trainer, clock):
    allowed, _ = LIMITS["login_address"]
    codes = [log_in(client, name=f"user{i}", password="x").status_code for i in range(25)]
    assert codes[: allowed - 1] == [200] * (allowed - 1) and set(codes[allowed - 1 :]) == {429}
    assert log_in(client).status_code == 429  # even alice's right password, from there
    response = log_in(app.test_client(), address="10.0.0.7")
    assert response.status_code == 302  # alice from elsewhere is not


def test_the_slowdown_is_per_name(app, client, trainer, clock):
    with app.app_context():
        accounts.create_trainer("bob", "bob's password")
    for _ in range(5):
        log_in(client, password="wrong")
    assert log_in(client, name=" ALICE ", password="correct horse").status_code == 429
    assert log_in(client, name="bob", password="bob's password").status_code == 302


def test_a_successful_login_clears_the_names_failures(client, trainer, clock):
    for _ in range(4):
        log_in(client, password="wrong")
    log_in(client)
    client.post("/logout", data={"csrf_token": csrf_token(text(client.get("/account")))})
    for _ in range(4):
        assert log_in(client, password="wrong").status_code == 200


# Pages: the one-time login link


def issue_link(app, trainer_id: int, **kwargs) -> str:
    with app.app_context():
        return accounts.issue_login_link(db.session.get(Trainer, trainer_id), **kwargs)


def test_a_login_link_logs_in_once(app, client, trainer):
    token = issue_link(app, trainer)
    response = client.get(f"/login/{token}")
    assert response.status_code == 302
    assert response.headers["Location"] == default_landing(app)
    assert logged_in(client)
    other = app.test_client()
    response = other.get(f"/login/{token}", headers=EN)
    assert response.status_code == 410
    assert "This link has expired or was already used." in text(response)
    assert not logged_in(other)


def test_an_expired_login_link_says_so(app, client, trainer):
    token = issue_link(app, trainer, now=datetime.now(UTC) - timedelta(minutes=16))
    response = client.get(f"/login/{token}", headers=EN)
    assert response.status_code == 410
    assert "This link has expired or was already used." in text(response)
    assert not logged_in(client)


def test_a_login_link_honours_a_safe_next(app, client, trainer):
    token = issue_link(app, trainer)
    response = client.get(f"/login/{token}", query_string={"next": "/account"})
    assert response.headers["Location"] == "/account"
    token = issue_link(app, trainer)
    response = client.get(f"/login/{token}", query_string={"next": "//evil.example"})
    assert response.headers["Location"] == default_landing(app)


# Pages: the account


def test_change_password_on_the_account_page(client, trainer):
    log_in(client)
    page = text(client.get("/account", headers=EN))
    assert 'for="current">Current password</label>' in page
    data = {
        "csrf_token": csrf_token(page),
        "action": "password",
        "current": "correct horse",
        "new": "battery staple",
        "confirm": "battery staple",
    }
    response = client.post("/account", data=data, headers=EN)
    assert response.status_code == 303
    assert "Your password was changed." in text(client.get("/account", headers=EN))
    client.post("/logout", data={"csrf_token": data["csrf_token"]})
    assert log_in(client, password="correct horse").status_code == 200
    assert log_in(client, password="battery staple").status_code == 302


@pytest.mark.parametrize(
    ("current", "new", "confirm", "message"),
    [
        ("wrong horse", "battery staple", "battery staple", "The current password is wrong."),
        ("correct horse", "short", "short", "at least 8 characters"),
        ("correct horse", "battery staple", "battery stapler", "The two new passwords differ."),
        ("", "battery staple", "battery staple", "Enter your current password."),
    ],
)
def test_change_password_errors_are_shown(app, client, trainer, current, new, confirm, message):
    log_in(client)
    data = {
        "csrf_token": csrf_token(text(client.get("/account"))),
        "action": "password",
        "current": current,
        "new": new,
        "confirm": confirm,
    }
    response = client.post("/account", data=data, headers=EN)
    assert response.status_code == 200
    assert message in text(response)
    with app.app_context():
        assert accounts.authenticate("alice", "correct horse")


def test_change_password_without_the_csrf_token_is_refused(app, client, trainer):
    log_in(client)
    data = {"action": "password", "current": "correct horse", "new": "x" * 9, "confirm": "x" * 9}
    response = client.post("/account", data=data, headers=EN)
    assert response.status_code == 400
    assert "This form has expired" in text(response)
    with app.app_context():
        assert accounts.authenticate("alice", "correct horse")


def test_create_an_api_token_shows_it_once(app, client, trainer):
    log_in(client)
    page = text(client.get("/account", headers=EN))
    assert "You have no API token." in page
    response = client.post(
        "/account", data={"csrf_token": csrf_token(page), "action": "create_api_token"}, headers=EN
    )
    assert response.status_code == 200
    assert response.headers["Cache-Control"] == "no-store"
    page = text(response)
    token = re.search(r'id="api-token" type="text" value="([^"]+)"', page).group(1)
    assert f"Authorization: Bearer {token}" in page
    assert 'data-copy-target="api-token"' in page
    assert '<script type="module" src="/static/js/copy.js"></script>' in page
    with app.app_context():
        assert accounts.trainer_for_api_token(token).id == trainer
    again = text(client.get("/account", headers=EN))
    assert token not in again
    assert "You have an API token." in again


def test_replace_then_revoke_the_api_token(app, client, trainer):
    log_in(client)
    token = csrf_token(text(client.get("/account")))
    first = text(client.post("/account", data={"csrf_token": token, "action": "create_api_token"}))
    first = re.search(r'id="api-token" type="text" value="([^"]+)"', first).group(1)
    second = text(client.post("/account", data={"csrf_token": token, "action": "create_api_token"}))
    second = re.search(r'id="api-token" type="text" value="([^"]+)"', second).group(1)
    with app.app_context():
        assert accounts.trainer_for_api_token(first) is None
        assert accounts.trainer_for_api_token(second).id == trainer
    response = client.post(
        "/account", data={"csrf_token": token, "action": "revoke_api_token"}, headers=EN
    )
    assert response.status_code == 303
    page = text(client.get("/account", headers=EN))
    assert "The API token was revoked" in page and "You have no API token." in page
    with app.app_context():
        assert accounts.trainer_for_api_token(second) is None


def test_api_token_buttons_need_the_csrf_token(app, client, trainer):
    log_in(client)
    assert client.post("/account", data={"action": "create_api_token"}).status_code == 400
    with app.app_context():
        assert db.session.get(Trainer, trainer).api_token_hash is None


def test_the_account_page_has_no_inline_script_and_unique_ids(client, trainer):
    log_in(client)
    token = csrf_token(text(client.get("/account")))
    page = text(client.post("/account", data={"csrf_token": token, "action": "create_api_token"}))
    assert re.findall(r"<script[^>]*>", page) == ['<script type="module" src="/static/js/copy.js">']
    ids = re.findall(r'\sid="([^"]+)"', page)
    assert len(ids) == len(set(ids)), sorted(ids)


def test_a_trainer_name_is_rendered_inert(app, client):
    with app.app_context():
        accounts.create_trainer("<script>alert(1)</script>", "correct horse")
    log_in(client, name="<script>alert(1)</script>")
    page = text(client.get("/account", headers=EN))
    assert "<script>alert(1)</script>" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
