"""The protocol-independent blueprint: recording setup now, replaying it on an app later.

A :class:`Blueprint` has the decorators of an application (it is a
:class:`~erlen_core.sansio.scaffold.Scaffold`), but it has no URL map, no config and no Jinja
environment of its own. Whatever needs the app is stored as a *deferred function*; when the
blueprint is registered, :meth:`Blueprint.register` builds a :class:`BlueprintSetupState`
describing that registration (name, URL prefix, subdomain, URL defaults) and calls every deferred
function with it. Registries keyed by scope (request hooks, error handlers, template context
processors, URL processors) are copied into the app under the blueprint's dotted name.

Like the rest of the sans-IO layer, nothing here reads a request, a context or a file.
"""

from __future__ import annotations

import os
import typing as t
from collections import defaultdict
from functools import update_wrapper

from erlen_core import typing as ft
from erlen_core.sansio.scaffold import _sentinel
from erlen_core.sansio.scaffold import Scaffold
from erlen_core.sansio.scaffold import setupmethod
from erlen_routing import endpoint_from_view_func

if t.TYPE_CHECKING:
    from erlen_core.sansio.app import App

#: What :meth:`Blueprint.record` accepts: a function called with the setup state.
DeferredSetupFunction = t.Callable[["BlueprintSetupState"], None]

T_after_request = t.TypeVar("T_after_request", bound=ft.AfterRequestCallable[t.Any])
T_before_request = t.TypeVar("T_before_request", bound=ft.BeforeRequestCallable)
T_error_handler = t.TypeVar("T_error_handler", bound=ft.ErrorHandlerCallable)
T_teardown = t.TypeVar("T_teardown", bound=ft.TeardownCallable)
T_template_context_processor = t.TypeVar(
    "T_template_context_processor", bound=ft.TemplateContextProcessorCallable
)
T_template_filter = t.TypeVar("T_template_filter", bound=ft.TemplateFilterCallable)
T_template_global = t.TypeVar("T_template_global", bound=ft.TemplateGlobalCallable)
T_template_test = t.TypeVar("T_template_test", bound=ft.TemplateTestCallable)
T_url_defaults = t.TypeVar("T_url_defaults", bound=ft.URLDefaultCallable)
T_url_value_preprocessor = t.TypeVar(
    "T_url_value_preprocessor", bound=ft.URLValuePreprocessorCallable
)

#: The scope-keyed list registries a blueprint hands over to the app on registration.
_SCOPED_REGISTRIES = (
    "before_request_funcs",
    "after_request_funcs",
    "teardown_request_funcs",
    "url_default_functions",
    "url_value_preprocessors",
    "template_context_processors",
)


def _check_name(name: str, what: str) -> None:
    """Refuse a blueprint name that would break dotted endpoint and scope names."""
    if not name:
        raise ValueError(f"{what} may not be empty.")
    if "." in name:
        raise ValueError(
            f"{what} may not contain a dot '.' character: {name!r}. Dots separate the names"
            " of nested blueprints in endpoints."
        )


def _join_prefix(outer: str, inner: str) -> str:
    """Join two URL path pieces with exactly one slash between them."""
    return f"{outer.rstrip('/')}/{inner.lstrip('/')}"


def _nest(outer: str | None, inner: str | None, join: t.Callable[[str, str], str]) -> str | None:
    """Combine a parent's and a child's option; either may be unset."""
    if outer is None:
        return inner
    if inner is None:
        return outer
    return join(outer, inner)


class BlueprintSetupState:
    """One registration of a blueprint on an app, passed to every deferred function.

    Created by :meth:`Blueprint.make_setup_state`. Options given to ``register_blueprint``
    override the blueprint's own values.

    :param blueprint: The blueprint being registered.
    :param app: The application it is registered on.
    :param options: The keyword arguments of ``register_blueprint``.
    :param first_registration: Whether this blueprint object was not registered on the app
        before (under any name).
    """

    def __init__(
        self,
        blueprint: Blueprint,
        app: App,
        options: t.Any,
        first_registration: bool,
    ) -> None:
        #: The application the blueprint is registered on.
        self.app = app
        #: The blueprint being registered.
        self.blueprint = blueprint
        #: The options given to ``register_blueprint``.
        self.options = options
        #: ``False`` when the same blueprint object was already registered on this app, so
        #: functions that must run once per app can skip the repeat (see
        #: :meth:`Blueprint.record_once`).
        self.first_registration = first_registration

        subdomain = self.options.get("subdomain")
        #: The subdomain the blueprint's rules match, or ``None``.
        self.subdomain: str | None = blueprint.subdomain if subdomain is None else subdomain

        url_prefix = self.options.get("url_prefix")
        #: The path put in front of every rule of the blueprint, or ``None``.
        self.url_prefix: str | None = blueprint.url_prefix if url_prefix is None else url_prefix

        #: The name of this registration, without the names of enclosing blueprints.
        self.name: str = self.options.get("name", blueprint.name)
        #: The dotted name of the enclosing blueprints, ``""`` when registered on the app.
        self.name_prefix: str = self.options.get("name_prefix", "")

        #: Default URL values given to every rule of the blueprint: the blueprint's own,
        #: updated with the ``url_defaults`` option.
        self.url_defaults: dict[str, t.Any] = dict(blueprint.url_values_defaults)
        self.url_defaults.update(self.options.get("url_defaults", ()))

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        **options: t.Any,
    ) -> None:
        """Add a rule to the app on behalf of the blueprint.

        The rule gets the registration's URL prefix, subdomain (unless ``subdomain`` is passed)
        and URL defaults; the endpoint gets the blueprint's dotted name in front. Extensions call
        this from functions given to :meth:`Blueprint.record`.

        :param rule: The URL rule, relative to the URL prefix.
        :param endpoint: The endpoint name within the blueprint; defaults to the view's name.
        :param view_func: The view function.
        :param options: Passed on to the app's ``add_url_rule``; ``defaults`` are merged over
            the registration's URL defaults.
        """
        if self.url_prefix is not None:
            rule = _join_prefix(self.url_prefix, rule) if rule else self.url_prefix
        options.setdefault("subdomain", self.subdomain)
        if endpoint is None:
            endpoint = endpoint_from_view_func(view_func)
        defaults = self.url_defaults
        if "defaults" in options:
            defaults = {**defaults, **options.pop("defaults")}
        full_endpoint = ".".join(p for p in (self.name_prefix, self.name, endpoint) if p)
        self.app.add_url_rule(rule, full_endpoint, view_func, defaults=defaults, **options)


class Blueprint(Scaffold):
    """A set of routes, hooks and handlers to register on applications later.

    It offers the decorators of an application; what they need from an app is recorded and
    replayed by :meth:`register`. Its endpoints are named ``"<name>.<endpoint>"`` and its
    hooks and handlers apply to its own requests only; the ``app_*`` variants apply to the
    whole app.

    :param name: The blueprint's name, put in front of its endpoints. It may not be empty or
        contain a dot.
    :param import_name: The blueprint's module name, usually ``__name__``; locates
        :attr:`root_path`.
    :param static_folder: Folder of static files served under :attr:`static_url_path`,
        relative to :attr:`root_path`. Off by default.
    :param static_url_path: URL path of the static files; defaults to the folder's name. Give
        the blueprint a URL prefix, or the app's own static route wins.
    :param template_folder: Folder of templates, relative to :attr:`root_path`, searched after
        the app's templates. Off by default.
    :param url_prefix: Path put in front of every rule of the blueprint.
    :param subdomain: Subdomain every rule of the blueprint matches by default.
    :param url_defaults: Default values given to every view of the blueprint.
    :param root_path: The folder resources are relative to; found from ``import_name`` when
        not given.
    :param cli_group: Name of the blueprint's command group under the app's command line.
        Defaults to the blueprint's name; ``None`` adds its commands to the app's group itself.
    """

    #: Set by the first registration; after it, setup methods raise an error.
    _got_registered_once = False

    #: The view serving static files, given by the protocol face.
    send_static_file: t.Callable[[str], t.Any]

    def __init__(
        self,
        name: str,
        import_name: str,
        static_folder: str | os.PathLike[str] | None = None,
        static_url_path: str | None = None,
        template_folder: str | os.PathLike[str] | None = None,
        url_prefix: str | None = None,
        subdomain: str | None = None,
        url_defaults: dict[str, t.Any] | None = None,
        root_path: str | None = None,
        cli_group: str | None = _sentinel,
    ) -> None:
        super().__init__(
            import_name=import_name,
            static_folder=static_folder,
            static_url_path=static_url_path,
            template_folder=template_folder,
            root_path=root_path,
        )
        _check_name(name, "'name'")
        self.name = name
        #: The URL prefix of every rule, unless registration gives another.
        self.url_prefix = url_prefix
        #: The subdomain of every rule, unless registration gives another.
        self.subdomain = subdomain
        #: Functions called with a :class:`BlueprintSetupState` on each registration.
        self.deferred_functions: list[DeferredSetupFunction] = []
        #: Default URL values of every rule of the blueprint.
        self.url_values_defaults: dict[str, t.Any] = {} if url_defaults is None else url_defaults
        #: Name of the command group under the app's command line; see the class docs.
        self.cli_group = cli_group
        self._blueprints: list[tuple[Blueprint, dict[str, t.Any]]] = []

    def _check_setup_finished(self, f_name: str) -> None:
        if self._got_registered_once:
            raise AssertionError(
                f"The setup method '{f_name}' can no longer be called on the blueprint"
                f" '{self.name}'. It has already been registered at least once, and a change"
                " now would not reach the apps it was registered on.\nSet the blueprint up"
                " completely (imports, decorators, ...) before registering it."
            )

    @setupmethod
    def record(self, func: DeferredSetupFunction) -> None:
        """Register a function called with the :class:`BlueprintSetupState` each time the
        blueprint is registered on an app.
        """
        self.deferred_functions.append(func)

    @setupmethod
    def record_once(self, func: DeferredSetupFunction) -> None:
        """Like :meth:`record`, but the function is skipped when the same blueprint is
        registered on the same app again (under another name).
        """

        def when_first(state: BlueprintSetupState) -> None:
            if state.first_registration:
                func(state)

        self.record(update_wrapper(when_first, func))

    def make_setup_state(
        self, app: App, options: dict[str, t.Any], first_registration: bool = False
    ) -> BlueprintSetupState:
        """Create the :class:`BlueprintSetupState` of one registration. Override to use a
        subclass.
        """
        return BlueprintSetupState(self, app, options, first_registration)

    @setupmethod
    def register_blueprint(self, blueprint: Blueprint, **options: t.Any) -> None:
        """Nest a blueprint in this one; it is registered whenever this one is.

        Its endpoints become ``"<this name>.<its name>.<endpoint>"``, its URL prefix is added
        after this one's and its subdomain before this one's.

        :param blueprint: The blueprint to nest.
        :param options: The options of the app's ``register_blueprint`` (``url_prefix``,
            ``subdomain``, ``url_defaults``, ``name``, ``cli_group``).
        """
        if blueprint is self:
            raise ValueError("Cannot register a blueprint on itself.")
        self._blueprints.append((blueprint, options))

    def register(self, app: App, options: dict[str, t.Any]) -> None:
        """Register the blueprint on an app; called by the app's ``register_blueprint``.

        Adds the static route, copies the scoped registries into the app under the dotted
        name, calls every deferred function with a new :class:`BlueprintSetupState`, adds the
        command group and registers the nested blueprints.

        :param app: The application.
        :param options: The keyword arguments of ``register_blueprint``.
        :raises ValueError: When the (dotted) name is already registered on the app, or the
            ``name`` option is empty or dotted.
        """
        self_name: str = options.get("name", self.name)
        if "name" in options:
            _check_name(self_name, "The 'name' option")
        name_prefix: str = options.get("name_prefix", "")
        name = f"{name_prefix}.{self_name}" if name_prefix else self_name

        if name in app.blueprints:
            which = "this" if app.blueprints[name] is self else "a different"
            where = f" '{name}'" if name != self_name else ""
            raise ValueError(
                f"The name '{self_name}' is already registered for {which} blueprint{where}."
                " Use 'name=' to give this registration a unique name."
            )

        first_registration = all(bp is not self for bp in app.blueprints.values())
        # The app may annotate its registry with the WSGI-facing subclass.
        app.blueprints[name] = t.cast(t.Any, self)
        self._got_registered_once = True
        state = self.make_setup_state(app, options, first_registration)

        if self.has_static_folder:
            state.add_url_rule(
                f"{self.static_url_path}/<path:filename>",
                view_func=self.send_static_file,
                endpoint="static",
            )
        self._merge_blueprint_funcs(app, name)
        for deferred in self.deferred_functions:
            deferred(state)
        self._register_cli(app, name, options.get("cli_group", self.cli_group))

        for blueprint, nested_options in self._blueprints:
            blueprint.register(app, self._nested_options(state, name, blueprint, nested_options))

    @staticmethod
    def _nested_options(
        state: BlueprintSetupState, name: str, blueprint: Blueprint, options: dict[str, t.Any]
    ) -> dict[str, t.Any]:
        """The options of a nested blueprint's registration: its subdomain goes before the
        parent's, its URL prefix after the parent's, and its name after the parent's name.
        """
        options = dict(options)
        subdomain = options.get("subdomain")
        subdomain = _nest(
            state.subdomain,
            blueprint.subdomain if subdomain is None else subdomain,
            lambda outer, inner: f"{inner}.{outer}",
        )
        url_prefix = options.get("url_prefix")
        url_prefix = _nest(
            state.url_prefix,
            blueprint.url_prefix if url_prefix is None else url_prefix,
            _join_prefix,
        )
        if subdomain is not None:
            options["subdomain"] = subdomain
        if url_prefix is not None:
            options["url_prefix"] = url_prefix
        options["name_prefix"] = name
        return options

    def _register_cli(self, app: App, name: str, group: str | None) -> None:
        """Add the blueprint's commands to the app's command line, unless there are none."""
        if not self.cli.commands:
            return
        if group is None:
            app.cli.commands.update(self.cli.commands)
            return
        self.cli.name = name if group is _sentinel else group
        app.cli.add_command(self.cli)

    def _merge_blueprint_funcs(self, app: App, name: str) -> None:
        """Copy views, error handlers and the scoped hook lists into the app under ``name``."""

        def scope(key: ft.AppOrBlueprintKey) -> str:
            return name if key is None else f"{name}.{key}"

        for key, by_code in self.error_handler_spec.items():
            app.error_handler_spec[scope(key)] = defaultdict(
                dict, {code: dict(handlers) for code, handlers in by_code.items()}
            )
        app.view_functions.update(self.view_functions)
        for attr in _SCOPED_REGISTRIES:
            target: dict[ft.AppOrBlueprintKey, list[t.Any]] = getattr(app, attr)
            registry: dict[ft.AppOrBlueprintKey, list[t.Any]] = getattr(self, attr)
            for key, funcs in registry.items():
                target.setdefault(scope(key), []).extend(funcs)

    @setupmethod
    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: ft.RouteCallable | None = None,
        provide_automatic_options: bool | None = None,
        **options: t.Any,
    ) -> None:
        """Record a URL rule, added to the app on registration with the blueprint's URL prefix
        and the endpoint named ``"<name>.<endpoint>"``. See the app's ``add_url_rule``.

        :raises ValueError: When the endpoint, or the view's name, contains a dot.
        """
        if endpoint and "." in endpoint:
            raise ValueError(f"'endpoint' may not contain a dot '.' character: {endpoint!r}.")
        view_name = getattr(view_func, "__name__", None) if view_func else None
        if view_name and "." in view_name:
            raise ValueError(
                f"'view_func' name may not contain a dot '.' character: {view_name!r}. Pass"
                " an 'endpoint' without dots, or rename the function."
            )
        self.record(
            lambda state: state.add_url_rule(
                rule,
                endpoint,
                view_func,
                provide_automatic_options=provide_automatic_options,
                **options,
            )
        )

    def _record_app_hook(self, registry: str, f: t.Any) -> None:
        """Append ``f`` to the app-wide (``None``) list of an app registry, once per app."""
        self.record_once(lambda state: getattr(state.app, registry).setdefault(None, []).append(f))

    @setupmethod
    def before_app_request(self, f: T_before_request) -> T_before_request:
        """Like :meth:`before_request`, but for every request of the app."""
        self._record_app_hook("before_request_funcs", f)
        return f

    @setupmethod
    def after_app_request(self, f: T_after_request) -> T_after_request:
        """Like :meth:`after_request`, but for every request of the app."""
        self._record_app_hook("after_request_funcs", f)
        return f

    @setupmethod
    def teardown_app_request(self, f: T_teardown) -> T_teardown:
        """Like :meth:`teardown_request`, but for every request of the app."""
        self._record_app_hook("teardown_request_funcs", f)
        return f

    @setupmethod
    def app_context_processor(
        self, f: T_template_context_processor
    ) -> T_template_context_processor:
        """Like :meth:`context_processor`, but for every template the app renders."""
        self._record_app_hook("template_context_processors", f)
        return f

    @setupmethod
    def app_url_value_preprocessor(self, f: T_url_value_preprocessor) -> T_url_value_preprocessor:
        """Like :meth:`url_value_preprocessor`, but for every request of the app."""
        self._record_app_hook("url_value_preprocessors", f)
        return f

    @setupmethod
    def app_url_defaults(self, f: T_url_defaults) -> T_url_defaults:
        """Like :meth:`url_defaults`, but for every URL the app builds."""
        self._record_app_hook("url_default_functions", f)
        return f

    @setupmethod
    def app_errorhandler(
        self, code: type[Exception] | int
    ) -> t.Callable[[T_error_handler], T_error_handler]:
        """Like :meth:`errorhandler`, but for errors of every request of the app.

        :param code: An HTTP error code or an :class:`Exception` subclass.
        """

        def decorator(f: T_error_handler) -> T_error_handler:
            self.record_once(lambda state: state.app.register_error_handler(code, f))
            return f

        return decorator

    @setupmethod
    def app_template_filter(
        self, name: str | None = None
    ) -> t.Callable[[T_template_filter], T_template_filter]:
        """Decorate a function to be a Jinja filter of the app, named ``name`` or after the
        function.
        """

        def decorator(f: T_template_filter) -> T_template_filter:
            self.add_app_template_filter(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_filter(
        self, f: ft.TemplateFilterCallable, name: str | None = None
    ) -> None:
        """Register a Jinja filter of the app; see :meth:`app_template_filter`."""
        self.record_once(lambda state: state.app.add_template_filter(f, name=name))

    @setupmethod
    def app_template_test(
        self, name: str | None = None
    ) -> t.Callable[[T_template_test], T_template_test]:
        """Decorate a function to be a Jinja test of the app, named ``name`` or after the
        function.
        """

        def decorator(f: T_template_test) -> T_template_test:
            self.add_app_template_test(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_test(self, f: ft.TemplateTestCallable, name: str | None = None) -> None:
        """Register a Jinja test of the app; see :meth:`app_template_test`."""
        self.record_once(lambda state: state.app.add_template_test(f, name=name))

    @setupmethod
    def app_template_global(
        self, name: str | None = None
    ) -> t.Callable[[T_template_global], T_template_global]:
        """Decorate a function to be a Jinja global of the app, named ``name`` or after the
        function.
        """

        def decorator(f: T_template_global) -> T_template_global:
            self.add_app_template_global(f, name=name)
            return f

        return decorator

    @setupmethod
    def add_app_template_global(
        self, f: ft.TemplateGlobalCallable, name: str | None = None
    ) -> None:
        """Register a Jinja global of the app; see :meth:`app_template_global`."""
        self.record_once(lambda state: state.app.add_template_global(f, name=name))
