"""The blueprint: routes, hooks and handlers set up without an app, replayed on registration.

A :class:`Blueprint` fills the same registries as an app (the scaffold's), and records what
needs an app (its rules, the ``app_*`` helpers, extensions' setup) as functions of a
:class:`~erlen_blueprints.state.BlueprintSetupState`. Registering it under a name then does
these things, in this order:

1. claim the registered name on the app (:mod:`~erlen_blueprints.naming` says which are free);
2. add the static route, and hand every registry in :data:`REGISTRIES` to the app, filed under
   the registered name, by one generic merge (:func:`merge_registry`);
3. call the recorded functions with this registration's state;
4. place the command group, then register the nested blueprints under the name.

This module does no I/O: :class:`erlen_blueprints.Blueprint` adds the static files, resources
and the app-context command group.
"""

from __future__ import annotations

import copy
import os
import typing as t
from collections.abc import Mapping
from collections.abc import MutableMapping
from functools import update_wrapper

from werkzeug.utils import cached_property

from erlen_core.sansio.scaffold import Scaffold
from erlen_core.sansio.scaffold import setupmethod

from . import naming
from .state import BlueprintSetupState

if t.TYPE_CHECKING:
    import click

    from erlen_core import App

    from .state import MaybeView

F = t.TypeVar("F", bound=t.Callable[..., t.Any])
_Call_co = t.TypeVar("_Call_co", covariant=True)

#: A function recorded with :meth:`Blueprint.record`, called on each registration.
DeferredSetupFunction = t.Callable[[BlueprintSetupState], None]

_Folder = str | os.PathLike[str] | None
_Text = str | None

#: The scaffold registries a registration hands to the app, and whether each is keyed by scope.
#: A scoped registry's keys name blueprints relative to this one (``None`` is the blueprint
#: itself); the app files them under the registered name. ``view_functions`` is keyed by
#: endpoint and copied as it is.
REGISTRIES: dict[str, bool] = {
    "view_functions": False,
    "error_handler_spec": True,
    "before_request_funcs": True,
    "after_request_funcs": True,
    "teardown_request_funcs": True,
    "template_context_processors": True,
    "url_value_preprocessors": True,
    "url_default_functions": True,
}


def _empty_like(container: t.Any) -> t.Any:
    """An empty container of the same kind (a ``defaultdict`` keeps its default factory)."""
    fresh = copy.copy(container)
    fresh.clear()
    return fresh


def merge_registry(target: MutableMapping[t.Any, t.Any], source: Mapping[t.Any, t.Any]) -> None:
    """Add ``source`` into ``target``, level by level.

    Lists are extended and mappings merged key by key, so the app keeps what it already has;
    any other value (a view, a handler) is set. Containers the app lacks are created like the
    source's.
    """
    for key, value in source.items():
        if isinstance(value, list):
            target.setdefault(key, _empty_like(value)).extend(value)
        elif isinstance(value, Mapping):
            merge_registry(target.setdefault(key, _empty_like(value)), value)
        else:
            target[key] = value


# -- the app-wide decorators ------------------------------------------------------------------
#
# Each ``app_*`` method of a blueprint calls one method of the app, with the same arguments, on
# the first registration on each app. The class body lists them as a table of
# ``name = shape("app method")``; the four shapes below build the method, and their protocols
# give type checkers its signature.


class _Decorator(t.Protocol):
    def __call__(self, f: F, /) -> F: ...


class _HelperAdder(t.Protocol):
    def __call__(self, f: t.Callable[..., t.Any], name: str | None = None) -> None: ...


class _HelperDecorator(t.Protocol):
    def __call__(self, name: str | None = None) -> _Decorator: ...


class _HandlerDecorator(t.Protocol):
    def __call__(self, code: type[Exception] | int) -> _Decorator: ...


class _Method(t.Protocol[_Call_co]):
    def __get__(self, bp: t.Any, owner: t.Any = None) -> _Call_co: ...


class _AppWide:
    """Stands in the class body for an app-wide method, and becomes it once the class exists:
    named after its attribute, documented, and a setup method."""

    def __init__(self, method: t.Callable[..., t.Any], target: str) -> None:
        self.method, self.target = method, target

    def __set_name__(self, owner: type[Blueprint], name: str) -> None:
        method = self.method
        method.__name__, method.__qualname__ = name, f"{owner.__qualname__}.{name}"
        method.__module__ = owner.__module__
        method.__doc__ = (
            f"Like the app's :meth:`~erlen_core.App.{self.target}`, with the same arguments, for"
            " the whole app: applied on the blueprint's first registration on each app."
        )
        setattr(owner, name, setupmethod(method))


def _applies(target: str) -> _Method[_Decorator]:
    """``bp.before_app_request(f)`` → ``app.before_request(f)``; returns ``f``."""

    def method(self: Blueprint, f: F) -> F:
        self._on_each_app(lambda app: getattr(app, target)(f))
        return f

    return t.cast(_Method[_Decorator], _AppWide(method, target))


def _adds(target: str) -> _Method[_HelperAdder]:
    """``bp.add_app_template_filter(f, name)`` → ``app.add_template_filter(f, name)``."""

    def method(self: Blueprint, f: t.Callable[..., t.Any], name: str | None = None) -> None:
        self._on_each_app(lambda app: getattr(app, target)(f, name=name))

    return t.cast(_Method[_HelperAdder], _AppWide(method, target))


def _deferred_decorator(bp: Blueprint, target: str, argument: t.Any) -> _Decorator:
    def decorator(f: F) -> F:
        bp._on_each_app(lambda app: getattr(app, target)(argument)(f))
        return f

    return decorator


def _by_code(target: str) -> _Method[_HandlerDecorator]:
    """``bp.app_errorhandler(code)(f)`` → ``app.errorhandler(code)(f)``."""

    def method(self: Blueprint, code: type[Exception] | int) -> _Decorator:
        return _deferred_decorator(self, target, code)

    return t.cast(_Method[_HandlerDecorator], _AppWide(method, target))


def _by_name(target: str) -> _Method[_HelperDecorator]:
    """``bp.app_template_filter(name)(f)`` → ``app.template_filter(name)(f)``."""

    def method(self: Blueprint, name: str | None = None) -> _Decorator:
        return _deferred_decorator(self, target, name)

    return t.cast(_Method[_HelperDecorator], _AppWide(method, target))


class Blueprint(Scaffold):
    """A group of views, hooks, handlers and helpers to register on apps later.

    Setting a blueprint up looks like setting up an app (:meth:`route`, :meth:`before_request`,
    :meth:`errorhandler` …); the hooks and handlers apply only to the blueprint's own requests,
    the ``app_*`` variants to all of the app's. :meth:`~erlen_core.App.register_blueprint` then
    replays it on an app, as often as wanted, under distinct names.

    :param name: The blueprint's name, prefixed to its endpoints; no dots.
    :param import_name: The blueprint's module name, usually ``__name__``; locates
        :attr:`root_path`.
    :param static_folder: A folder of static files, served under :attr:`static_url_path`.
    :param static_url_path: Where the static files are served; default the folder's name.
    :param template_folder: A folder of templates, searched after the app's.
    :param url_prefix: Prefix of every rule.
    :param subdomain: Subdomain of every rule.
    :param url_defaults: Default view arguments of every rule.
    :param root_path: The folder resources are relative to; default found from ``import_name``.
    :param cli_group: Name of the command group under the app's command line:
        :data:`~erlen_blueprints.naming.BLUEPRINT_NAME` (the default) for the registered name,
        ``None`` to add the commands to the app's own group.
    """

    #: Set by the first registration; from then on, setup methods raise ``AssertionError``.
    _got_registered_once = False
    #: The view of the static route, supplied by the blueprint that can serve files.
    send_static_file: t.Callable[[str], t.Any]

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: _Folder = None,
        static_url_path: _Text = None,
        template_folder: _Folder = None,
        url_prefix: _Text = None,
        subdomain: _Text = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: _Text = None,
        cli_group: _Text = naming.BLUEPRINT_NAME,
    ) -> None:
        super().__init__(import_name, static_folder, static_url_path, template_folder, root_path)
        #: The blueprint's own name; registration can give it another (``name=``).
        self.name = naming.check_name(name)
        #: Prefix and subdomain of every rule, unless the registration gives its own.
        self.url_prefix: str | None = url_prefix
        self.subdomain: str | None = subdomain
        #: Default view arguments of every rule of the blueprint.
        self.url_values_defaults: dict[str, t.Any] = {} if url_defaults is None else url_defaults
        #: Where the commands go: see ``cli_group`` above.
        self.cli_group = cli_group
        #: What :meth:`record` recorded, in order; called with each registration's state.
        self.deferred_functions: list[DeferredSetupFunction] = []
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    @cached_property
    def cli(self) -> click.Group:
        """The blueprint's commands, placed on the app's command line by registration; made
        (and click imported) on first use, by :meth:`make_cli`.
        """
        return self.make_cli()

    def make_cli(self) -> click.Group:
        """Make the group of :attr:`cli`: a ``click.Group``; :class:`erlen_blueprints.Blueprint`
        makes an ``AppGroup``, whose commands run in an app context.
        """
        import click

        return click.Group(self.name)

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the blueprint"
                f" '{self.name}'. It has already been registered at least once, and a change"
                " now would not reach the apps it was registered on.\nSet the blueprint up"
                " completely (imports, decorators, ...) before registering it."
            )

    # -- recording what needs an app ----------------------------------------------------------

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Call ``func`` with the :class:`BlueprintSetupState` of every registration."""
        self.deferred_functions.append(func)

    def record_once(self, func: DeferredSetupFunction) -> None:
        """Like :meth:`record`, but only on the first registration on each app."""

        def on_first_registration(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(on_first_registration, func))

    def _on_each_app(self, apply: t.Callable[[App], t.Any]) -> None:
        self.record_once(lambda state: apply(state.app))

    def make_setup_state(
        self, app: App, options: dict[str, t.Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        """Create the state of one registration; override to use a subclass."""
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: _Text = None,
        view_func: MaybeView = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a rule, added to the app as each registration places it; see
        :meth:`BlueprintSetupState.add_url_rule`.

        :raises ValueError: If the endpoint, or the view's name, contains a dot.
        """
        naming.check_endpoint(endpoint, view_func)
        options["provide_automatic_options"] = provide_automatic_options
        self.record(lambda state: state.add_url_rule(rule, endpoint, view_func, **options))

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest ``blueprint`` in this one: registering this one registers it too, named
        ``"<this name>.<its name>"``, under this one's URL prefix and subdomain.

        :param options: As for :meth:`~erlen_core.App.register_blueprint`.
        :raises ValueError: If ``blueprint`` is this blueprint.
        """
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself")
        self._blueprints.append((blueprint, options))

    # -- registration --------------------------------------------------------------------------

    def register(self, app: App, options: dict[str, t.Any]) -> None:
        """Register the blueprint on ``app``; :meth:`~erlen_core.App.register_blueprint`
        calls this.

        :param options: The registration options (``name``, ``url_prefix``, ``subdomain``,
            ``url_defaults``, ``cli_group``, and for nested blueprints ``name_prefix``).
        :raises ValueError: If the registered name is taken, or the ``name`` option is empty or
            dotted.
        """
        name, first = self._claim(app, options)
        state = self.make_setup_state(app, options, first)
        if self.has_static_folder:
            rule = f"{self.static_url_path}/<path:filename>"
            state.add_url_rule(rule, "static", self.send_static_file)
        self._hand_over(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._place_commands(
            app, naming.cli_group_name(options.get("cli_group", self.cli_group), name)
        )
        for child, child_options in self._blueprints:
            child.register(app, self._nested_options(state, name, child, child_options))

    def _claim(self, app: App, options: dict[str, t.Any]) -> tuple[str, bool]:
        """Take the registered name on ``app``; return it, and whether this is the first
        registration of the blueprint there."""
        local = options.get("name", self.name)
        if "name" in options:
            naming.check_name(local, "The 'name' option")
        name = naming.dotted(options.get("name_prefix", ""), local)
        # The app annotates its registry with the subclass apps use; any blueprint may register.
        registered = t.cast("dict[str, Blueprint]", app.blueprints)
        naming.claim_name(registered, name, self, local)
        first = all(blueprint is not self for blueprint in registered.values())
        registered[name] = self
        self._got_registered_once = True
        return name, first

    def _hand_over(self, app: App, name: str) -> None:
        """Merge every registry of :data:`REGISTRIES` into the app's, scoped under ``name``."""
        for attribute, scoped in REGISTRIES.items():
            registry: Mapping[t.Any, t.Any] = getattr(self, attribute)
            if scoped:
                registry = {naming.dotted(name, key or ""): v for key, v in registry.items()}
            merge_registry(getattr(app, attribute), registry)

    def _place_commands(self, app: App, group: str | None) -> None:
        # A blueprint that was never given a command has no group to place.
        if "cli" not in self.__dict__ or not self.cli.commands:
            return
        if group is None:
            for command_name, command in self.cli.commands.items():
                app.cli.add_command(command, command_name)
        else:
            self.cli.name = group
            app.cli.add_command(self.cli)

    @staticmethod
    def _nested_options(
        state: BlueprintSetupState, name: str, child: Blueprint, given: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        """The options of a nested registration: the child's own settings (or those given to
        :meth:`register_blueprint`) nested in the parent registration's."""
        url_prefix = naming.either(given.get("url_prefix"), child.url_prefix)
        subdomain = naming.either(given.get("subdomain"), child.subdomain)
        return {
            **given,
            "url_prefix": naming.nest_url_prefix(state.url_prefix, url_prefix),
            "subdomain": naming.nest_subdomain(state.subdomain, subdomain),
            "name_prefix": name,
        }

    # -- the app-wide decorators: see _AppWide above ------------------------------------------

    before_app_request = _applies("before_request")
    after_app_request = _applies("after_request")
    teardown_app_request = _applies("teardown_request")
    app_context_processor = _applies("context_processor")
    app_url_value_preprocessor = _applies("url_value_preprocessor")
    app_url_defaults = _applies("url_defaults")
    app_errorhandler = _by_code("errorhandler")
    app_template_filter = _by_name("template_filter")
    app_template_test = _by_name("template_test")
    app_template_global = _by_name("template_global")
    add_app_template_filter = _adds("add_template_filter")
    add_app_template_test = _adds("add_template_test")
    add_app_template_global = _adds("add_template_global")
