"""What one registration of a blueprint on an app knows: :class:`BlueprintSetupState`.

Every function a blueprint has recorded (:meth:`~erlen_blueprints.blueprint.Blueprint.record`)
is called with the state of each registration, and turns the blueprint's rules into the app's
through :meth:`BlueprintSetupState.add_url_rule`, the way extensions do too.
"""

from __future__ import annotations

import dataclasses
import typing as t

from erlen_routing import endpoint_from_view_func

from .naming import dotted
from .naming import either
from .naming import join_path

if t.TYPE_CHECKING:
    from erlen_core import App
    from erlen_core import typing as ft

    from .blueprint import Blueprint

    #: A view, or ``None`` for an endpoint whose view comes later.
    MaybeView = ft.RouteCallable | None


@dataclasses.dataclass(eq=False)
class BlueprintSetupState:
    """One registration of :attr:`blueprint` on :attr:`app` with the registration ``options``.

    The blueprint's own settings (URL prefix, subdomain, URL defaults) are resolved against the
    options here once, so recorded functions and extensions read the values in effect.
    :meth:`~erlen_blueprints.blueprint.Blueprint.make_setup_state` creates it; override that to
    use a subclass.
    """

    #: The blueprint being registered.
    blueprint: Blueprint
    #: The app it is registered on.
    app: App
    #: The keyword arguments given to :meth:`~erlen_core.App.register_blueprint` (and, for a
    #: nested blueprint, the prefixes its parent adds).
    options: t.Any
    #: Whether this is the blueprint's first registration on :attr:`app`; false when it is
    #: registered again under another name.
    first_registration: bool

    #: The subdomain of the blueprint's rules: the ``subdomain`` option, else the blueprint's.
    subdomain: str | None = dataclasses.field(init=False)
    #: The prefix of the blueprint's rules: the ``url_prefix`` option, else the blueprint's.
    url_prefix: str | None = dataclasses.field(init=False)
    #: The registration's own name: the ``name`` option, else the blueprint's name.
    name: str = dataclasses.field(init=False)
    #: The dotted registered name of the enclosing blueprint; empty on the app itself.
    name_prefix: str = dataclasses.field(init=False)
    #: Default URL values of every rule: the blueprint's, updated by the ``url_defaults`` option.
    url_defaults: dict[str, t.Any] = dataclasses.field(init=False)

    def __post_init__(self) -> None:
        get = self.options.get
        self.subdomain = either(get("subdomain"), self.blueprint.subdomain)
        self.url_prefix = either(get("url_prefix"), self.blueprint.url_prefix)
        self.name, self.name_prefix = get("name", self.blueprint.name), get("name_prefix", "")
        self.url_defaults = {**self.blueprint.url_values_defaults, **(get("url_defaults") or {})}

    def add_url_rule(
        self,
        rule: str,
        endpoint: str | None = None,
        view_func: MaybeView = None,
        **options: t.Any,
    ) -> None:
        """Add a rule of the blueprint to the app, as this registration places it.

        The rule gets the URL prefix, the endpoint the registered dotted name
        (``"<name_prefix>.<name>.<endpoint>"``), and the options the subdomain and URL defaults,
        unless ``options`` gives its own; a ``defaults`` option is merged over the URL defaults.
        Takes what :meth:`~erlen_core.App.add_url_rule` takes.
        """
        if self.url_prefix is not None:
            rule = join_path(self.url_prefix, rule) if rule else self.url_prefix
        options.setdefault("subdomain", self.subdomain)
        options["defaults"] = {**self.url_defaults, **(options.get("defaults") or {})}
        if endpoint is None:
            endpoint = endpoint_from_view_func(view_func)
        self.app.add_url_rule(
            rule, dotted(self.name_prefix, self.name, endpoint), view_func, **options
        )
