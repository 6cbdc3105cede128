"""translations.i18n keeps the catalog on ``g`` beside its locale (issue 18). Whatever it
keeps, a message must come out exactly as Flask-Babel's own gettext gives it, in every
language, inside and after a ``force_locale`` block (an alert in the lead's language
written during a Welsh kiosk request), and in templates."""

from __future__ import annotations

import flask_babel
from flask import Flask, g, render_template_string
from flask_babel import force_locale

from safereport.i18n import init_i18n
from translations.i18n import _, current_language_code
from translations.languages import BY_CODE

MESSAGES = ["Leave now", "Yes", "No", "I do not want to say", "Listen"]


def an_app() -> Flask:
    app = Flask(__name__)
    init_i18n(app)
    return app


def test_every_language_matches_flask_babel_and_force_locale_never_leaks() -> None:
    app = an_app()
    welsh: list[str] = []
    for code in BY_CODE:
        with app.test_request_context("/"):
            g.language = code
            own = [_(m) for m in MESSAGES]
            assert own == [str(flask_babel.gettext(m)) for m in MESSAGES]
            with force_locale("cy"):
                forced = [_(m) for m in MESSAGES]
                with app.app_context(), force_locale("ar"):
                    arabic = [_(m) for m in MESSAGES]
            assert [_(m) for m in MESSAGES] == own  # back in the request's language
            with force_locale("cy"):
                welsh = [str(flask_babel.gettext(m)) for m in MESSAGES]
            assert forced == welsh
            with force_locale("ar"):
                assert arabic == [str(flask_babel.gettext(m)) for m in MESSAGES]
    assert welsh != MESSAGES  # the Welsh catalog was really used


def test_templates_translate_through_the_same_catalog() -> None:
    app = an_app()
    with app.test_request_context("/"):
        g.language = "pl"
        page = render_template_string("{{ _('Leave now') }}|{{ _('Listen') }}")
        with force_locale("ar"):
            arabic = render_template_string("{{ _('Leave now') }}")
        assert page == f"{_('Leave now')}|{_('Listen')}" and page != "Leave now|Listen"
        with force_locale("ar"):
            assert arabic == _("Leave now") != page.split("|")[0]


def test_outside_a_request_a_message_is_left_as_written() -> None:
    assert _("Leave now") == "Leave now"
    assert _("%(n)s left", n=3) == "3 left"


def test_the_language_code_is_flask_babels_choice_in_and_after_force_locale() -> None:
    """current_language_code reads the locale Flask-Babel keeps on ``g`` (one lookup, not
    four): it must name what flask_babel.get_locale() names, before Flask-Babel has chosen
    (the first call chooses), inside nested force_locale blocks and after them."""
    app = an_app()
    assert current_language_code() == ""  # outside any app context
    for code in ("ur", "cy", "en"):
        with app.test_request_context("/"):
            g.language = code
            assert current_language_code() == code == str(flask_babel.get_locale())
            with force_locale("ar"):
                assert current_language_code() == "ar" == str(flask_babel.get_locale())
                with force_locale("so"):
                    assert current_language_code() == "so"
                assert current_language_code() == "ar"
            assert current_language_code() == code == str(flask_babel.get_locale())
