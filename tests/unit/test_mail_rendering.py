"""The shipped messages: subject, text and HTML from one context, escaped only where HTML needs it."""

from __future__ import annotations

import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from jinja2 import DictLoader
from markupsafe import escape

from productsmanager.adapters.mail.jinja_renderer import JinjaMessageRenderer
from productsmanager.application.mail.ports import MessageTemplateError, RenderedMessage, UnknownMessageTemplate

RESET_URL = "https://pm.example.com/reset-password?token=Zm9v-YmFy_42&next=%2Fproducts"
RESET = {"reset_url": RESET_URL, "expires_minutes": 30, "company_name": "Acme Trading"}
CHANGED = {
    "changed_at": "1 May 2025, 10:42 UTC",
    "company_name": "Acme Trading",
    "login_url": "https://pm.example.com/",
}

renderer = JinjaMessageRenderer()


def test_the_shipped_messages_are_listed() -> None:
    assert renderer.names() == ["import_completed", "import_failed", "password_changed", "password_reset"]


def test_password_reset_says_what_to_do_how_long_and_what_if_not_asked() -> None:
    message = renderer.render("password_reset", RESET)
    assert message.subject == "Reset your Acme Trading password"
    for part in (message.text, message.html):
        assert "30 minutes" in part
        assert "used once" in part
        assert "ignore this e-mail" in part
    assert RESET_URL in message.text
    assert message.html.startswith("<!DOCTYPE html>")
    assert "max-width:600px" in message.html


def test_the_reset_url_is_a_button_and_a_plain_link_with_its_query_intact() -> None:
    message = renderer.render("password_reset", RESET)
    in_html = str(escape(RESET_URL))
    assert in_html == RESET_URL.replace("&", "&amp;")
    assert message.html.count(f'href="{in_html}"') == 2  # the button, and the link under it
    assert f">{in_html}</a>" in message.html
    assert RESET_URL not in message.html  # a bare `&` in HTML would be a parse error in strict clients
    assert "&amp;" not in message.text


def test_one_minute_is_singular() -> None:
    assert "expires in 1 minute and" in renderer.render("password_reset", {**RESET, "expires_minutes": 1}).text


def test_password_changed_says_when_and_what_to_do_if_it_was_not_you() -> None:
    message = renderer.render("password_changed", CHANGED)
    assert message.subject == "Your Acme Trading password was changed"
    for part in (message.text, message.html):
        assert "1 May 2025, 10:42 UTC" in part
        assert "If it was not you" in part
        assert "https://pm.example.com/" in part


@pytest.mark.parametrize("value", ["<script>alert(1)</script>", "a&b", "\"quoted\" 'single'"])
def test_values_are_escaped_in_html_and_verbatim_in_text(value: str) -> None:
    message = renderer.render("password_reset", {**RESET, "company_name": value})
    assert value in message.text
    assert value in message.subject
    assert str(escape(value)) in message.html
    assert value not in message.html


@given(st.text(alphabet=st.characters(exclude_categories=["Cs"]), min_size=1, max_size=40))
def test_no_value_can_add_markup_to_the_html(value: str) -> None:
    message = renderer.render("password_changed", {**CHANGED, "changed_at": value})
    tags = re.findall(r"<[a-zA-Z/!]", message.html)
    assert tags == re.findall(r"<[a-zA-Z/!]", renderer.render("password_changed", CHANGED).html)


@pytest.mark.parametrize("name", ["password_reset", "password_changed"])
def test_a_missing_variable_is_an_error_not_an_empty_string(name: str) -> None:
    context = dict(RESET if name == "password_reset" else CHANGED)
    del context["company_name"]
    with pytest.raises(MessageTemplateError, match="company_name"):
        renderer.render(name, context)


@pytest.mark.parametrize("name", ["password_rest", "layout", "components", "../password_reset", ""])
def test_an_unknown_template_is_named_with_the_known_ones(name: str) -> None:
    known = "known: import_completed, import_failed, password_changed, password_reset"
    with pytest.raises(UnknownMessageTemplate, match=known) as caught:
        renderer.render(name, RESET)
    assert repr(name) in str(caught.value)


def test_the_subject_is_one_line_even_when_the_template_or_a_value_breaks_it() -> None:
    loader = DictLoader({"note.subject.txt": "\n  Hello\n{{ who }}  \n", "note.txt": "{{ who }}", "note.html": "x"})
    message = JinjaMessageRenderer(loader).render("note", {"who": "Ann\r\nBcc: eve@example.com"})
    assert message == RenderedMessage(
        subject="Hello Ann Bcc: eve@example.com", text="Ann\r\nBcc: eve@example.com\n", html="x\n"
    )


def test_a_message_without_its_html_part_is_a_template_error() -> None:
    loader = DictLoader({"note.subject.txt": "Hi", "note.txt": "Hi"})
    with pytest.raises(MessageTemplateError, match=r"note\.html is missing"):
        JinjaMessageRenderer(loader).render("note", {})


def test_a_rendering_is_addressed_without_changing_its_words() -> None:
    message = renderer.render("password_reset", RESET).addressed_to("ann@example.com")
    assert (message.to, message.subject) == ("ann@example.com", "Reset your Acme Trading password")
