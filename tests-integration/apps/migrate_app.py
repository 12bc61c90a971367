"""The notes app of ``notes_app`` as a project moving to erlen runs it: the module calls
``install_as_flask()`` itself, before the Flask code is imported.
"""

from __future__ import annotations

import erlen

erlen.install_as_flask()

from notes_app import app as app  # noqa: E402
from notes_app import db as db  # noqa: E402
from notes_app import Note as Note  # noqa: E402
