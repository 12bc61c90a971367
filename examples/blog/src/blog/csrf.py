"""Cross-site request forgery protection for forms and the JSON API.

Another site can make a logged-in visitor's browser send a POST here, cookies included, but it
cannot read this site's pages. So every page that shows a form embeds a random token kept in the
session, and every request that changes something must send it back: as the ``csrf_token`` form
field, or as the ``X-CSRF-Token`` header for scripts. A missing or wrong token is refused with
``400 Bad Request`` before any view runs.

Templates call ``csrf_field()`` inside each form, or ``csrf_token()`` for the bare value.
``CSRF_ENABLED = False`` in the config turns the check off.
"""

from __future__ import annotations

import hmac
import secrets

from markupsafe import Markup

from erlen import abort
from erlen import current_app
from erlen import Erlen
from erlen import request
from erlen import session

#: The session key, form field and header that carry the token.
SESSION_KEY = "csrf_token"
FORM_FIELD = "csrf_token"
HEADER = "X-CSRF-Token"
#: Methods that only read; everything else must prove where it comes from.
SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS", "TRACE"})


def csrf_token() -> str:
    """The session's token, made on first use and then kept for the whole session."""
    token = session.get(SESSION_KEY)
    if not isinstance(token, str):
        token = secrets.token_urlsafe(32)
        session[SESSION_KEY] = token
    return token


def csrf_field() -> Markup:
    """The hidden form field that carries the token."""
    return Markup('<input type="hidden" name="{}" value="{}">').format(FORM_FIELD, csrf_token())


def check_csrf() -> None:
    """Refuse a state-changing request whose token does not match the session's."""
    if request.method in SAFE_METHODS or not current_app.config["CSRF_ENABLED"]:
        return
    expected = session.get(SESSION_KEY)
    sent = request.headers.get(HEADER) or request.form.get(FORM_FIELD)
    if not isinstance(expected, str) or not sent or not hmac.compare_digest(expected, sent):
        abort(400, description="The form was stale or did not come from this site; try again.")


def init_app(app: Erlen) -> None:
    """Check every request and give templates ``csrf_token()`` and ``csrf_field()``."""
    app.before_request(check_csrf)
    app.add_template_global(csrf_token)
    app.add_template_global(csrf_field)
