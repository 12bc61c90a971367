"""The application logger.

``app.logger`` is the standard :class:`logging.Logger` named after the app. When nothing else is
set up to show its records, :func:`create_logger` gives it :data:`default_handler`, which writes
to the server's error stream during a request (``environ["wsgi.errors"]``) and to
:data:`sys.stderr` otherwise. Configure :mod:`logging` before the logger is first used to
replace that; or remove the handler::

    from erlen_core.logging import default_handler

    app.logger.removeHandler(default_handler)
"""

from __future__ import annotations

import logging
import sys
import typing as t

from werkzeug.local import LocalProxy

from erlen_context.globals import _cv_request

if t.TYPE_CHECKING:
    from .sansio.app import App


def _error_stream() -> t.TextIO:
    ctx = _cv_request.get(None)
    if ctx is not None:
        return ctx.request.environ["wsgi.errors"]  # type: ignore[no-any-return]
    return sys.stderr


#: The request's ``wsgi.errors`` stream while a request is active, else :data:`sys.stderr`. Use it
#: as the stream of your own :class:`logging.StreamHandler`; logging config files can name it
#: ``ext://erlen_core.logging.wsgi_errors_stream``.
wsgi_errors_stream: t.TextIO = LocalProxy(_error_stream)  # type: ignore[assignment]


def _loggers_reached(logger: logging.Logger) -> t.Iterator[logging.Logger]:
    """The logger, then each ancestor its records propagate to, nearest first."""
    reached: logging.Logger | None = logger
    while reached is not None:
        yield reached
        reached = reached.parent if reached.propagate else None


def has_level_handler(logger: logging.Logger) -> bool:
    """Whether a handler of the logger, or of an ancestor it propagates to, accepts records of
    the logger's effective level.

    :param logger: The logger to check.
    """
    level = logger.getEffectiveLevel()
    handlers = (h for reached in _loggers_reached(logger) for h in reached.handlers)
    return any(handler.level <= level for handler in handlers)


#: The handler :func:`create_logger` adds when the app's records would otherwise go unseen. It
#: writes ``[time] LEVEL in module: message`` lines to :data:`wsgi_errors_stream`.
default_handler = logging.StreamHandler(wsgi_errors_stream)
default_handler.setFormatter(
    logging.Formatter("[%(asctime)s] %(levelname)s in %(module)s: %(message)s")
)


def create_logger(app: App) -> logging.Logger:
    """Return the logger named after ``app.name``, set up for the app.

    In debug mode a logger without its own level gets :data:`logging.DEBUG`. A logger whose
    effective level no handler accepts gets :data:`default_handler`.

    :param app: The application.
    """
    logger = logging.getLogger(app.name)
    # A level the logging configuration set wins over debug mode.
    if logger.level == logging.NOTSET and app.debug:
        logger.setLevel(logging.DEBUG)
    if has_level_handler(logger):
        return logger
    logger.addHandler(default_handler)
    return logger
