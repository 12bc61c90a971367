"""The WSGI-facing blueprint: static files, resources and a command group.

:class:`Blueprint` adds to :class:`erlen_blueprints.sansio.Blueprint` what reads files or the
current app: :meth:`~Blueprint.send_static_file` (the view of its static route),
:meth:`~Blueprint.open_resource`, :meth:`~Blueprint.get_send_file_max_age`, and the ``cli``
command group that registration adds to the app's command line.
"""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta

from erlen_cli import AppGroup
from erlen_context.globals import current_app
from erlen_core.helpers import send_from_directory
from erlen_core.sansio.scaffold import _sentinel

from .sansio import Blueprint as SansioBlueprint
from .sansio import BlueprintSetupState as BlueprintSetupState

if t.TYPE_CHECKING:
    from erlen_core.wrappers import Response


class Blueprint(SansioBlueprint):
    """A blueprint for WSGI applications; see :class:`erlen_blueprints.sansio.Blueprint` for
    the parameters.
    """

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
            name,
            import_name,
            static_folder,
            static_url_path,
            template_folder,
            url_prefix,
            subdomain,
            url_defaults,
            root_path,
            cli_group,
        )
        #: The blueprint's click commands. Registration adds them to the app's command line,
        #: as a group named after ``cli_group`` (or the blueprint), or directly when
        #: ``cli_group`` is ``None``.
        self.cli = AppGroup(name=self.name)

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """The ``max_age`` of a static file of this blueprint: the current app's
        ``SEND_FILE_MAX_AGE_DEFAULT`` in seconds, by default ``None`` (conditional requests
        instead of a timed cache). Override to choose per file.

        :param filename: The file's path within the static folder.
        """
        value: timedelta | int | None = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        if isinstance(value, timedelta):
            return int(value.total_seconds())
        return value

    def send_static_file(self, filename: str) -> Response:
        """Serve a file of :attr:`static_folder`; the view of the blueprint's static route.

        :param filename: The file's path within the static folder.
        :raises RuntimeError: When the blueprint has no static folder.
        """
        if not self.has_static_folder:
            raise RuntimeError(
                f"The blueprint '{self.name}' has no static folder: pass 'static_folder' to"
                " serve static files."
            )
        # Give the blueprint's own max age; send_file alone would ask the app.
        max_age = self.get_send_file_max_age(filename)
        return send_from_directory(t.cast(str, self.static_folder), filename, max_age=max_age)

    @t.overload
    def open_resource(
        self, resource: str, mode: t.Literal["rb"] = "rb", encoding: str | None = ...
    ) -> t.IO[bytes]: ...

    @t.overload
    def open_resource(
        self, resource: str, mode: t.Literal["r", "rt"], encoding: str | None = ...
    ) -> t.IO[str]: ...

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.Any]:
        """Open a file relative to :attr:`root_path` for reading.

        :param resource: The file's path relative to :attr:`root_path`.
        :param mode: ``"rb"`` (the default), ``"r"`` or ``"rt"``; files can only be read.
        :param encoding: The encoding in text mode; ignored in binary mode.
        :raises ValueError: For a mode that would write.
        """
        if mode not in {"r", "rt", "rb"}:
            raise ValueError(
                f"Resources can only be opened for reading: use mode 'rb', 'r' or 'rt', not"
                f" {mode!r}."
            )
        path = os.path.join(self.root_path, resource)
        if mode == "rb":
            return open(path, "rb")
        return open(path, mode, encoding=encoding)
