"""What templating needs from the application, as :class:`typing.Protocol` classes.

erlen-templating imports no application or blueprint. Each protocol lists the members one part
of this package reads, so an erlen or Flask application (and blueprint) satisfies them, and so
does a small test double.
"""

from __future__ import annotations

import logging
import typing as t

if t.TYPE_CHECKING:  # pragma: no cover
    from jinja2 import BaseLoader

    from .environment import Environment


class TemplateSource(t.Protocol):
    """An application or blueprint that may provide templates."""

    @property
    def import_name(self) -> str:
        """The module the object was created in, shown when explaining template loading."""

    @property
    def jinja_loader(self) -> BaseLoader | None:
        """The loader of the object's template folder, or ``None`` without one."""


class EnvironmentApp(t.Protocol):
    """The application as :class:`~erlen_templating.Environment` sees it."""

    def create_global_jinja_loader(self) -> BaseLoader:
        """Return the loader used when the environment is not given one."""


class LoaderApp(TemplateSource, t.Protocol):
    """The application as :class:`~erlen_templating.DispatchingJinjaLoader` sees it."""

    @property
    def config(self) -> t.Mapping[str, t.Any]:
        """The configuration; ``EXPLAIN_TEMPLATE_LOADING`` is read on every lookup."""

    @property
    def logger(self) -> logging.Logger:
        """Where the explanation of template loading is logged, at ``INFO`` level."""

    def iter_blueprints(self) -> t.Iterable[TemplateSource]:
        """The registered blueprints, in registration order."""


class JinjaApp(EnvironmentApp, t.Protocol):
    """The application as :func:`~erlen_templating.create_jinja_environment` sees it."""

    @property
    def jinja_environment(self) -> type[Environment]:
        """The environment class to instantiate."""

    @property
    def jinja_options(self) -> t.Mapping[str, t.Any]:
        """Options passed to the environment."""

    @property
    def config(self) -> t.Mapping[str, t.Any]:
        """The configuration: ``TEMPLATES_AUTO_RELOAD`` and the ``config`` template global."""

    @property
    def debug(self) -> bool:
        """Whether debug mode is on; auto-reload follows it unless configured."""

    @property
    def json(self) -> t.Any:
        """The JSON provider; its ``dumps`` serves the ``tojson`` filter."""

    def select_jinja_autoescape(self, filename: str | None) -> bool:
        """Whether a template with this file name (``None`` for a string) is autoescaped."""


class RenderApp(t.Protocol):
    """The current application as the render functions see it."""

    @property
    def jinja_env(self) -> Environment:
        """The application's Jinja environment."""

    def update_template_context(self, context: dict[str, t.Any]) -> None:
        """Add the context processors' values to ``context``, keeping values given by the
        caller.
        """

    def ensure_sync(self, func: t.Callable[..., t.Any]) -> t.Callable[..., t.Any]:
        """Return a synchronous callable for ``func``; used for async signal receivers."""


#: What a loader's ``get_source`` returns: source, file name, up-to-date check.
TemplateSourceTuple = tuple[str, str | None, t.Callable[[], bool] | None]
#: One entry per loader tried: the loader, the object that owns it, its result or ``None``.
LoadAttempt = tuple["BaseLoader", TemplateSource, TemplateSourceTuple | None]
