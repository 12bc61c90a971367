"""Render templates with the current application's environment.

:func:`render_template` and :func:`render_template_string` return a string;
:func:`stream_template` and :func:`stream_template_string` return an iterator of chunks that,
when a request is active, keeps the request context alive until the stream ends. All four need
an application context, fill the template context through ``app.update_template_context`` and
send :data:`~erlen_templating.before_render_template` and
:data:`~erlen_templating.template_rendered`.
"""

from __future__ import annotations

import typing as t

from erlen_context import app_context_var
from erlen_context import request_context_var
from erlen_context import stream_with_context
from erlen_context.globals import current_app

from .signals import before_render_template
from .signals import template_rendered

if t.TYPE_CHECKING:  # pragma: no cover
    from jinja2 import Template

    from .protocols import RenderApp

    #: What :func:`render_template` and :func:`stream_template` accept: a name, a template, or
    #: a list of them of which the first that exists is used.
    TemplateNames: t.TypeAlias = str | Template | list[str | Template]


def default_template_context() -> dict[str, t.Any]:
    """Put the current ``g`` and ``request`` into the template context as the objects
    themselves, which templates read faster than through the proxies. ``session`` stays a
    proxy, so that only a template that uses it marks it accessed.
    """
    values: dict[str, t.Any] = {}
    app_ctx = app_context_var.get(None)
    if app_ctx is not None:
        values["g"] = app_ctx.g
    req_ctx = request_context_var.get(None)
    if req_ctx is not None:
        values["request"] = req_ctx.request
    return values


#: Flask's name for :func:`default_template_context`.
_default_template_ctx_processor = default_template_context


def _send(signal: t.Any, app: RenderApp, template: Template, context: dict[str, t.Any]) -> None:
    if signal.receivers:
        signal.send(app, _async_wrapper=app.ensure_sync, template=template, context=context)


def _render(app: RenderApp, template: Template, context: dict[str, t.Any]) -> str:
    app.update_template_context(context)
    _send(before_render_template, app, template, context)
    rendered = template.render(context)
    _send(template_rendered, app, template, context)
    return rendered


def _stream(app: RenderApp, template: Template, context: dict[str, t.Any]) -> t.Iterator[str]:
    app.update_template_context(context)
    _send(before_render_template, app, template, context)

    def generate() -> t.Iterator[str]:
        yield from template.generate(context)
        _send(template_rendered, app, template, context)

    if request_context_var.get(None) is None:
        return generate()
    return stream_with_context(generate())


def _current_app() -> RenderApp:
    return current_app._get_current_object()  # type: ignore[no-any-return]


def render_template(template_name_or_list: TemplateNames, **context: t.Any) -> str:
    """Render a template of the current application's environment.

    :param template_name_or_list: A template name, a :class:`jinja2.Template`, or a list of
        them, the first that exists being rendered.
    :param context: The variables the template sees; they win over context processors.
    """
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _render(app, template, context)


def render_template_string(source: str, **context: t.Any) -> str:
    """Render template source code with the current application's environment. It is
    autoescaped by default.

    :param source: The template source.
    :param context: The variables the template sees; they win over context processors.
    """
    app = _current_app()
    return _render(app, app.jinja_env.from_string(source), context)


def stream_template(template_name_or_list: TemplateNames, **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template`, but return the output as an iterator of chunks, to use as
    a streamed response body.

    :param template_name_or_list: A template name, a :class:`jinja2.Template`, or a list of
        them, the first that exists being rendered.
    :param context: The variables the template sees; they win over context processors.
    """
    app = _current_app()
    template = app.jinja_env.get_or_select_template(template_name_or_list)
    return _stream(app, template, context)


def stream_template_string(source: str, **context: t.Any) -> t.Iterator[str]:
    """Like :func:`render_template_string`, but return the output as an iterator of chunks.

    :param source: The template source.
    :param context: The variables the template sees; they win over context processors.
    """
    app = _current_app()
    return _stream(app, app.jinja_env.from_string(source), context)
