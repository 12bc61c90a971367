"""Blueprints and nested blueprints for erlen apps.

A :class:`Blueprint` groups routes, request hooks, error handlers, template helpers, static
files, templates and commands under a name, without an application. Registering it on an app
(``app.register_blueprint(bp, url_prefix="/admin")``) replays all of it there: endpoints become
``"<name>.<endpoint>"``, rules get the URL prefix and subdomain, hooks and handlers apply to the
blueprint's own requests. One blueprint can be registered several times under different names,
and blueprints can be nested in blueprints.

The package mirrors Flask's split: :mod:`erlen_blueprints.sansio` holds the protocol-independent
:class:`~erlen_blueprints.sansio.Blueprint` base and :class:`BlueprintSetupState`;
:mod:`erlen_blueprints.blueprints` adds what serves files and the command group.
"""

from .blueprints import Blueprint as Blueprint
from .sansio import BlueprintSetupState as BlueprintSetupState
