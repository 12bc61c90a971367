"""The loader that finds templates in the application's and the blueprints' folders.

:class:`DispatchingJinjaLoader` asks the application's own ``jinja_loader`` first, then each
blueprint's in registration order, and returns the first match. With the
``EXPLAIN_TEMPLATE_LOADING`` config key on, it asks every loader and logs what each one found
through :func:`explain_template_loading_attempts`, which helps when a template resolves to an
unexpected file or not at all.
"""

from __future__ import annotations

import typing as t
from itertools import chain

from jinja2 import BaseLoader
from jinja2 import TemplateNotFound

from erlen_context import request_context_var

from .protocols import LoadAttempt
from .protocols import LoaderApp
from .protocols import TemplateSource
from .protocols import TemplateSourceTuple

if t.TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Environment


class DispatchingJinjaLoader(BaseLoader):
    """Search the application's templates, then each blueprint's in registration order.

    :param app: The application.
    """

    def __init__(self, app: LoaderApp) -> None:
        #: The application whose loaders are searched.
        self.app = app

    def get_source(self, environment: Environment, template: str) -> TemplateSourceTuple:
        """Return the first match of ``template`` among the loaders.

        :raises jinja2.TemplateNotFound: When no loader has the template.
        """
        if self.app.config["EXPLAIN_TEMPLATE_LOADING"]:
            return self._get_source_explained(environment, template)
        return self._get_source_fast(environment, template)

    def _get_source_fast(self, environment: Environment, template: str) -> TemplateSourceTuple:
        for _owner, loader in self._iter_loaders(template):
            try:
                return loader.get_source(environment, template)
            except TemplateNotFound:
                continue
        raise TemplateNotFound(template)

    def _get_source_explained(self, environment: Environment, template: str) -> TemplateSourceTuple:
        attempts: list[LoadAttempt] = []
        for owner, loader in self._iter_loaders(template):
            try:
                found: TemplateSourceTuple | None = loader.get_source(environment, template)
            except TemplateNotFound:
                found = None
            attempts.append((loader, owner, found))

        explain_template_loading_attempts(self.app, template, attempts)

        for _loader, _owner, found in attempts:
            if found is not None:
                return found
        raise TemplateNotFound(template)

    def _iter_loaders(self, template: str) -> t.Iterator[tuple[TemplateSource, BaseLoader]]:
        """Yield each object with templates and its loader, the application first."""
        for owner in chain((self.app,), self.app.iter_blueprints()):
            loader = owner.jinja_loader
            if loader is not None:
                yield owner, loader

    def list_templates(self) -> list[str]:
        """Return the names of every template any of the loaders has, without duplicates."""
        names: set[str] = set()
        for _owner, loader in self._iter_loaders(""):
            names.update(loader.list_templates())
        return list(names)


def _describe_source(app: LoaderApp, owner: TemplateSource) -> str:
    if owner is app:
        return f"application {owner.import_name!r}"
    name = getattr(owner, "name", None)
    if name is not None:
        return f"blueprint {name!r} ({owner.import_name})"
    return repr(owner)


def _describe_loader(loader: BaseLoader) -> t.Iterator[str]:
    """Yield lines naming the loader's class and its simple public settings."""
    cls = type(loader)
    yield f"class: {cls.__module__}.{cls.__name__}"
    for key, value in sorted(vars(loader).items()):
        if key.startswith("_"):
            continue
        if isinstance(value, (tuple, list)):
            if all(isinstance(item, str) for item in value):
                yield f"{key}:"
                yield from (f"  - {item}" for item in value)
        elif isinstance(value, (str, int, float, bool)):
            yield f"{key}: {value!r}"


def explain_template_loading_attempts(
    app: LoaderApp, template: str, attempts: t.Sequence[LoadAttempt]
) -> None:
    """Log, at ``INFO`` level on ``app.logger``, which loaders were asked for ``template`` and
    what each found, with a warning when none or several had it.

    :param app: The application.
    :param template: The template name looked up.
    :param attempts: ``(loader, owner, result)`` for each loader asked, ``result`` being
        ``None`` when the loader did not have the template.
    """
    lines = [f"Locating template {template!r}:"]
    found = 0
    for number, (loader, owner, result) in enumerate(attempts, 1):
        lines.append(f"{number:5}: trying loader of {_describe_source(app, owner)}")
        lines.extend(f"       {line}" for line in _describe_loader(loader))
        if result is None:
            lines.append("       -> no match")
        else:
            found += 1
            lines.append(f"       -> found ({result[1] or '<string>'!r})")

    if found == 0:
        lines.append("Error: the template could not be found.")
    elif found > 1:
        lines.append("Warning: multiple loaders returned a match for the template; the first wins.")

    ctx = request_context_var.get(None)
    blueprint = None if ctx is None else getattr(ctx.request, "blueprint", None)
    if blueprint is not None and found != 1:
        lines.append(
            "  The template was looked up from an endpoint that belongs to the blueprint"
            f" {blueprint!r}."
        )
        lines.append("  Check that the template is in that blueprint's templates folder.")
        lines.append("  See https://flask.palletsprojects.com/blueprints/#templates")

    app.logger.info("\n".join(lines))
