"""The blueprint that reaches files and the command line: :class:`Blueprint`.

It adds to the I/O-free :class:`erlen_blueprints.blueprint.Blueprint` what reads the disk or the
current app: serving its static folder, opening resources beside its module, and a command
group whose commands run inside an app context (:class:`erlen_cli.AppGroup`).
"""

from __future__ import annotations

import os
import typing as t
from datetime import timedelta

from erlen_context import current_app
from erlen_core.helpers import send_from_directory

from . import blueprint

if t.TYPE_CHECKING:
    from erlen_cli import AppGroup
    from erlen_core.wrappers import Response

#: The modes :meth:`Blueprint.open_resource` accepts: resources are read, never written.
READ_MODES = frozenset({"r", "rt", "rb"})


class Blueprint(blueprint.Blueprint):
    """A blueprint with static files, resources and app-context commands.

    Takes the arguments of :class:`erlen_blueprints.blueprint.Blueprint`.
    """

    def make_cli(self) -> AppGroup:
        """Make the group of :attr:`cli`: an ``AppGroup``, whose commands run in an app
        context.
        """
        from erlen_cli import AppGroup

        return AppGroup(self.name)

    def get_send_file_max_age(self, filename: str | None) -> int | None:
        """How long browsers may cache the static file ``filename``, in seconds.

        The app's ``SEND_FILE_MAX_AGE_DEFAULT`` config (seconds, a :class:`~datetime.timedelta`
        or ``None`` for the browser's own rules); override to choose per file.
        """
        age = current_app.config["SEND_FILE_MAX_AGE_DEFAULT"]
        return int(age.total_seconds()) if isinstance(age, timedelta) else age

    def send_static_file(self, filename: str) -> Response:
        """The view of the blueprint's static route: ``filename`` from :attr:`static_folder`.

        :raises RuntimeError: If the blueprint has no static folder.
        """
        folder = self.static_folder
        if folder is None:
            raise RuntimeError(
                f"The blueprint {self.name!r} has no static folder: pass 'static_folder' to"
                " serve static files."
            )
        return send_from_directory(folder, filename, max_age=self.get_send_file_max_age(filename))

    @t.overload
    def open_resource(
        self, resource: str, mode: t.Literal["rb"] = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[bytes]: ...

    @t.overload
    def open_resource(
        self, resource: str, mode: t.Literal["r", "rt"], encoding: str | None = "utf-8"
    ) -> t.IO[str]: ...

    def open_resource(
        self, resource: str, mode: str = "rb", encoding: str | None = "utf-8"
    ) -> t.IO[t.Any]:
        """Open ``resource``, a path relative to :attr:`root_path`, for reading.

        :param mode: ``"rb"`` (bytes, the default), ``"r"`` or ``"rt"`` (text).
        :param encoding: The text encoding; unused for bytes.
        :raises ValueError: For any other mode.
        """
        if mode not in READ_MODES:
            raise ValueError(
                "Resources can only be opened for reading: use mode 'rb', 'r' or 'rt', not"
                f" {mode!r}."
            )
        path = os.path.join(self.root_path, resource)
        if "b" in mode:
            return open(path, mode)
        return open(path, mode, encoding=encoding)
