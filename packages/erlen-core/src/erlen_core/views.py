"""Class-based views.

Subclass :class:`View` and implement :meth:`~View.dispatch_request`, or subclass
:class:`MethodView` and write one method per HTTP method. :meth:`View.as_view` turns the class
into a view function to register with ``add_url_rule``::

    class UserAPI(MethodView):
        def get(self, id):
            return {"id": id}

        def delete(self, id):
            ...
            return "", 204

    app.add_url_rule("/users/<int:id>", view_func=UserAPI.as_view("user"))
"""

from __future__ import annotations

import typing as t

from erlen_context.globals import current_app
from erlen_context.globals import request

if t.TYPE_CHECKING:
    from . import typing as ft


#: The method names :class:`MethodView` dispatches to, lowercase.
http_method_funcs = frozenset(["get", "post", "head", "options", "delete", "put", "trace", "patch"])


class View:
    """Base class of class-based views. Subclasses implement :meth:`dispatch_request`, which
    receives the URL variables as keyword arguments::

        class Hello(View):
            init_every_request = False

            def dispatch_request(self, name):
                return f"Hello, {name}!"

        app.add_url_rule("/hello/<name>", view_func=Hello.as_view("hello"))

    Decorators applied to the class do not reach the view function; list them in
    :attr:`decorators` instead.
    """

    #: The methods the view accepts; ``None`` lets ``add_url_rule`` decide (``GET``).
    methods: t.ClassVar[t.Collection[str] | None] = None

    #: Whether ``OPTIONS`` is answered automatically; ``None`` follows the app's setting.
    provide_automatic_options: t.ClassVar[bool | None] = None

    #: Decorators applied in order to the view function :meth:`as_view` creates, the first being
    #: innermost.
    decorators: t.ClassVar[list[t.Callable[..., t.Any]]] = []

    #: Create an instance for every request. ``False`` shares one instance, created by
    #: :meth:`as_view`, which is faster but means ``self`` must not hold request data.
    init_every_request: t.ClassVar[bool] = True

    def dispatch_request(self) -> ft.ResponseReturnValue:
        """Handle a request and return a view result. Subclasses must implement it; URL
        variables arrive as keyword arguments.
        """
        raise NotImplementedError

    @classmethod
    def as_view(cls, name: str, *class_args: t.Any, **class_kwargs: t.Any) -> ft.RouteCallable:
        """Return a view function that calls :meth:`dispatch_request` on an instance of the
        class, through the app's ``ensure_sync`` so it may be a coroutine.

        The function has the class as ``view_class``, its :attr:`methods` and
        :attr:`provide_automatic_options`, the name ``name`` and the class's docstring and module.

        :param name: The view function's name, which ``add_url_rule`` uses as the endpoint.
        :param class_args: Passed to the class when creating an instance.
        :param class_kwargs: Passed to the class when creating an instance.
        """
        # One instance for every request, or None to create one per request.
        shared = None if cls.init_every_request else cls(*class_args, **class_kwargs)

        def view(**kwargs: t.Any) -> ft.ResponseReturnValue:
            instance = shared
            if instance is None:
                # Through ``view`` (the decorated function, once decorators ran), so a
                # ``view_class`` replaced on it is the class that gets instantiated.
                instance = view.view_class(*class_args, **class_kwargs)  # type: ignore[attr-defined]
            return current_app.ensure_sync(instance.dispatch_request)(**kwargs)  # type: ignore[no-any-return]

        # Decorators that wrap with functools.wraps copy the name and module onto the wrapper.
        _describe(view, __name__=name, __module__=cls.__module__)
        for decorator in cls.decorators:
            view = decorator(view)
        _describe(
            view,
            __name__=name,
            __module__=cls.__module__,
            __doc__=cls.__doc__,
            view_class=cls,
            methods=cls.methods,
            provide_automatic_options=cls.provide_automatic_options,
        )
        return view


def _describe(view: t.Callable[..., t.Any], **attributes: t.Any) -> None:
    """Set attributes on a view function (or whatever callable a decorator returned)."""
    for attribute, value in attributes.items():
        setattr(view, attribute, value)


class MethodView(View):
    """A view that calls the method named after the request's HTTP method: ``get`` for
    ``GET``, ``post`` for ``POST`` and so on. ``HEAD`` falls back to ``get``.

    :attr:`~View.methods` is set from the methods a subclass defines or inherits, unless the
    subclass sets it itself::

        class Bookmarks(MethodView):
            def get(self, user):
                return {"bookmarks": store.list(user)}

            def put(self, user):
                store.replace(user, request.json)
                return "", 204

        app.add_url_rule("/<user>/bookmarks", view_func=Bookmarks.as_view("bookmarks"))
    """

    def __init_subclass__(cls, **kwargs: t.Any) -> None:
        super().__init_subclass__(**kwargs)
        if "methods" in cls.__dict__:
            return
        inherited = {m for base in cls.__bases__ for m in getattr(base, "methods", None) or ()}
        implemented = {name.upper() for name in http_method_funcs if hasattr(cls, name)}
        if inherited or implemented:
            cls.methods = inherited | implemented

    def dispatch_request(self, **kwargs: t.Any) -> ft.ResponseReturnValue:
        """Call the method for the request's HTTP method with the URL variables.

        :raise AssertionError: If the class has no method for it (routing normally prevents
            that, as :attr:`~View.methods` lists only implemented ones).
        """
        method = getattr(self, request.method.lower(), None)
        if method is None and request.method == "HEAD":
            method = getattr(self, "get", None)
        assert method is not None, f"Unimplemented method {request.method!r}"
        return current_app.ensure_sync(method)(**kwargs)  # type: ignore[no-any-return]
