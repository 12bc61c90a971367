"""How blueprints are named, and how names, URL prefixes and subdomains nest.

A blueprint registered on an app gets a *registered name*: its own name (or the ``name=``
registration option), preceded by the registered name of the blueprint it is nested in, joined
with dots (``"shop.cart"``). Endpoints add one more part (``"shop.cart.checkout"``), so no single
part may contain a dot. Everything here is pure: it neither reads nor changes an app.
"""

from __future__ import annotations

import typing as t
from collections.abc import Mapping

__all__ = [
    "BLUEPRINT_NAME",
    "check_endpoint",
    "check_name",
    "claim_name",
    "cli_group_name",
    "dotted",
    "either",
    "join_path",
    "nest",
    "nest_subdomain",
    "nest_url_prefix",
]


class _BlueprintName:
    """The type of :data:`BLUEPRINT_NAME`; one instance, with a readable repr for signatures."""

    def __repr__(self) -> str:
        return "BLUEPRINT_NAME"


#: The default ``cli_group``: the blueprint's commands form a group named after its registered
#: name. ``None`` instead adds them to the app's own group; a string names the group.
BLUEPRINT_NAME: t.Any = _BlueprintName()


def check_name(name: str, what: str = "'name'") -> str:
    """Return ``name`` if it can be a blueprint name: not empty, and without a dot.

    :param name: The proposed name.
    :param what: How the error message calls it: the parameter, or the registration option.
    :raises ValueError: If the name is empty or contains a dot.
    """
    if not name:
        raise ValueError(f"{what} may not be empty.")
    if "." in name:
        raise ValueError(
            f"{what} may not contain a dot '.' character: {name!r}. Dots join the names of"
            " nested blueprints and endpoints."
        )
    return name


def check_endpoint(endpoint: str | None, view_func: t.Callable[..., t.Any] | None) -> None:
    """Refuse an endpoint, or a view function named after it, that would add a dotted part.

    :raises ValueError: If ``endpoint``, or the ``__name__`` of ``view_func`` when it has one,
        contains a dot.
    """
    if endpoint and "." in endpoint:
        raise ValueError(f"'endpoint' may not contain a dot '.' character: {endpoint!r}.")
    function_name = getattr(view_func, "__name__", "")
    if "." in function_name:
        raise ValueError(
            f"'view_func' name may not contain a dot '.' character: {function_name!r}. Pass an"
            " 'endpoint' without dots, or rename the function."
        )


def dotted(*parts: str) -> str:
    """Join the non-empty ``parts`` with dots: ``dotted("", "shop", "cart") == "shop.cart"``."""
    return ".".join(part for part in parts if part)


def claim_name(registered: Mapping[str, object], name: str, blueprint: object, local: str) -> None:
    """Check that ``blueprint`` may take the registered ``name`` on an app.

    :param registered: The app's blueprints by registered name.
    :param name: The full dotted name the registration would take.
    :param blueprint: The blueprint being registered.
    :param local: The last part of ``name``, as the blueprint or ``name=`` gave it.
    :raises ValueError: If the name is taken, by this blueprint or another; the message says
        which, and suggests ``name=``.
    """
    if name not in registered:
        return
    owner = "this" if registered[name] is blueprint else "a different"
    full = "" if name == local else f" '{name}'"
    raise ValueError(
        f"The name '{local}' is already registered for {owner} blueprint{full}."
        " Use 'name=' to give this registration a unique name."
    )


def either(value: str | None, fallback: str | None) -> str | None:
    """``value``, unless it is ``None``: then ``fallback``. Registration options win this way
    over the blueprint's own settings."""
    return fallback if value is None else value


def nest(outer: str | None, inner: str | None, join: t.Callable[[str, str], str]) -> str | None:
    """Combine an outer and an inner setting where either may be unset (``None``).

    With both set, ``join(outer, inner)``; otherwise whichever is set, or ``None``.
    """
    if outer is None:
        return inner
    if inner is None:
        return outer
    return join(outer, inner)


def join_path(prefix: str, path: str) -> str:
    """Join two URL path pieces with exactly one slash between them."""
    return f"{prefix.rstrip('/')}/{path.lstrip('/')}"


def nest_url_prefix(outer: str | None, inner: str | None) -> str | None:
    """The URL prefix of a nested blueprint: the parent's, then the child's."""
    return nest(outer, inner, join_path)


def nest_subdomain(outer: str | None, inner: str | None) -> str | None:
    """The subdomain of a nested blueprint: the child's, as a subdomain of the parent's."""
    return nest(outer, inner, lambda parent, child: f"{child}.{parent}")


def cli_group_name(choice: str | None, registered: str) -> str | None:
    """The name of the command group a registration adds, or ``None`` to merge into the app's.

    :param choice: The ``cli_group`` in effect: :data:`BLUEPRINT_NAME`, ``None`` or a name.
    :param registered: The registration's dotted name.
    """
    return registered if choice is BLUEPRINT_NAME else choice
