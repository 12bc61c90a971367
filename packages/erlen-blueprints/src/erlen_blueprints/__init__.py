"""Blueprints and nested blueprints for erlen apps.

A :class:`Blueprint` groups routes, request hooks, error handlers, template helpers, static
files, templates and commands under a name, without an application. Registering it on an app
(``app.register_blueprint(bp, url_prefix="/admin")``) replays all of it there: endpoints become
``"<name>.<endpoint>"``, rules get the URL prefix and subdomain, hooks and handlers apply to the
blueprint's own requests. One blueprint can be registered several times under different names,
and blueprints nest in blueprints.

The modules, each with one job: :mod:`~erlen_blueprints.naming` (dotted names, nesting of
prefixes and subdomains, the checks and their messages), :mod:`~erlen_blueprints.state`
(:class:`BlueprintSetupState`, one registration), :mod:`~erlen_blueprints.blueprint` (the
I/O-free blueprint and its registration) and :mod:`~erlen_blueprints.files` (the
:class:`Blueprint` apps use: static files, resources, commands).
"""

from .files import Blueprint as Blueprint
from .state import BlueprintSetupState as BlueprintSetupState
