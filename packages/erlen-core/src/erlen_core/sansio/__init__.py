"""The sans-IO application core shared by every protocol face.

:mod:`~erlen_core.sansio.registries` holds the Flask-shaped registries that report their
changes; :class:`~erlen_core.sansio.scaffold.Scaffold` the registries and decorators that apps
and blueprints have in common; :class:`~erlen_core.sansio.app.App` adds configuration, the URL
map, blueprint registration, template registration and error-handler lookup. None of them does
I/O or reads context globals; see this folder's README.
"""
