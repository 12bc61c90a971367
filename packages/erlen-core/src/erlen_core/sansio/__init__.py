"""The sans-IO application core shared by every protocol face.

:class:`~erlen_core.sansio.scaffold.Scaffold` holds the registries and decorators that apps and
blueprints have in common; :class:`~erlen_core.sansio.app.App` adds configuration, the URL map,
blueprint registration, template registration and error-handler lookup. Neither does I/O or
reads context globals; see this folder's README.
"""
