"""Templates: erlen's face for ``flask.templating`` (owned by erlen-templating)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_templating import _default_template_ctx_processor as _default_template_ctx_processor
from erlen_templating import before_render_template as before_render_template
from erlen_templating import DispatchingJinjaLoader as DispatchingJinjaLoader
from erlen_templating import Environment as Environment
from erlen_templating import render_template as render_template
from erlen_templating import render_template_string as render_template_string
from erlen_templating import stream_template as stream_template
from erlen_templating import stream_template_string as stream_template_string
from erlen_templating import template_rendered as template_rendered

adopt(__name__)
