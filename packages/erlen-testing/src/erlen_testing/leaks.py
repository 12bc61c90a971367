"""Find app and request contexts that code pushed and never popped.

How a context is recognised
---------------------------
erlen and Flask keep the current app and request context in :class:`contextvars.ContextVar`
objects. A :class:`ContextLeakDetector` copies the current :class:`contextvars.Context` when it
is created. Later, every context variable whose value has changed since, and now holds a
*context object*, is a leak. A context object is any value with callable ``push`` and ``pop``
and an ``app`` attribute: that describes erlen's and Flask's ``AppContext`` and
``RequestContext`` without importing either framework or knowing the app, and it works with
several apps at once.
"""

from __future__ import annotations

import contextvars
from types import TracebackType
from typing import Any

#: Popping stops after this many contexts, in case a context's ``pop`` does not pop it.
_MAX_POPS = 100
_MISSING: Any = object()


def _is_context(value: object) -> bool:
    return (
        callable(getattr(value, "push", None))
        and callable(getattr(value, "pop", None))
        and hasattr(value, "app")
    )


def describe_context(ctx: Any) -> str:
    """Describe a context object for a report: its class, app, and request if it has one."""
    app = ctx.app
    text = f"{type(ctx).__name__} of app {getattr(app, 'name', app)!r}"
    request = getattr(ctx, "request", None)

    if request is not None:
        text += f" for {request.method} {request.url}"

    return text


class ContextLeakError(AssertionError):
    """Raised by :meth:`ContextLeakDetector.check` when contexts were left pushed."""


class ContextLeakDetector:
    """Take a snapshot of the pushed contexts now, to compare with later.

    Use it as ``with ContextLeakDetector(): ...`` to fail a block that leaves a context
    pushed, or call :meth:`check` yourself.
    """

    def __init__(self) -> None:
        self._before = contextvars.copy_context()

    def leaks(self) -> list[Any]:
        """Return the context objects pushed since the snapshot and still current."""
        before = self._before
        return [
            value
            for var, value in contextvars.copy_context().items()
            if before.get(var, _MISSING) is not value and _is_context(value)
        ]

    def pop_leaks(self) -> list[Any]:
        """Pop the leaked contexts, request contexts first, and return them in popping order.

        :raises ContextLeakError: when a leaked context cannot be popped.
        """
        popped: list[Any] = []

        for _ in range(_MAX_POPS):
            leaks = self.leaks()

            if not leaks:
                return popped

            ctx = next((c for c in leaks if hasattr(c, "request")), leaks[0])

            try:
                ctx.pop()
            except Exception as exc:
                raise ContextLeakError(
                    f"{describe_context(ctx)} was left pushed and popping it failed: {exc}"
                ) from exc

            popped.append(ctx)

        raise ContextLeakError(
            f"More than {_MAX_POPS} contexts were left pushed, or popping does not remove"
            f" them: {', '.join(describe_context(c) for c in self.leaks())}."
        )

    def check(self) -> None:
        """Pop any leaked contexts, so later code starts clean, then report them.

        :raises ContextLeakError: listing the contexts that were left pushed.
        """
        popped = self.pop_leaks()

        if popped:
            listed = "; ".join(describe_context(c) for c in popped)
            raise ContextLeakError(
                f"{len(popped)} context(s) left pushed: {listed}. Pop every context that is"
                " pushed, preferably with 'with app.app_context():' or"
                " 'with app.test_request_context():'."
            )

    def __enter__(self) -> ContextLeakDetector:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc_value: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        if exc_type is None:
            self.check()
        else:
            # The block already fails; clean up without hiding its error.
            self.pop_leaks()
