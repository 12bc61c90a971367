"""The erlen application object and what it is made of.

:class:`Erlen` (also importable as ``Flask``) is the WSGI application: create one, register views
with :meth:`~Erlen.route`, and serve it with any WSGI server. Its protocol-free base lives in
:mod:`erlen_core.sansio`; requests run through one pipeline (:mod:`erlen_core.pipeline`) that
follows a plan prepared per app (:mod:`erlen_core.plan`), behind the WSGI adapter
(:mod:`erlen_core.wsgi`). Around it this package holds the configuration
(:class:`~erlen_core.config.Config`), the JSON provider (:mod:`erlen_core.json`), the request and
response classes (:mod:`erlen_core.wrappers`), the view helpers (:mod:`erlen_core.helpers`),
class-based views (:mod:`erlen_core.views`), the request signals (:mod:`erlen_core.signals`) and
logging (:mod:`erlen_core.logging`).

Routing, contexts, sessions, templates, the command line and the test client come from the
sibling packages erlen-routing, erlen-context, erlen-sessions, erlen-templating, erlen-cli and
erlen-testing; the ``erlen`` umbrella re-exports all of it under Flask's names.
"""

from .app import Erlen as Erlen
from .app import Flask as Flask
from .config import Config as Config
from .sansio.app import App as App
from .sansio.scaffold import Scaffold as Scaffold
from .wrappers import Request as Request
from .wrappers import Response as Response
