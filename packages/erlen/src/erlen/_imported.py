"""The names Flask's modules hold only because Flask imports them there, for erlen's faces too.

Code written for Flask reaches into those namespaces (``from flask.app import Rule``,
``flask.sansio.scaffold.default_exceptions``, ``mock.patch("flask.testing.urlsplit")``), so each
face of erlen's tree holds the same names: the very object Flask's module has where it comes from
outside Flask (the standard library, Werkzeug, Jinja, Click, itsdangerous, MarkupSafe), erlen's
own where one Flask module takes it from another.
"""

from __future__ import annotations

import importlib
import sys

#: Per face (its name below ``erlen``; the package itself imports its one name, ``t``):
#: ``origin -> names``. Each name is taken from the origin module, ``name=attribute`` under
#: another name. The origin ``""`` names modules themselves, ``name=module`` for a module bound
#: under another name.
IMPORTED: dict[str, dict[str, str]] = {
    "app": {
        "": "click os sys weakref cabc=collections.abc cli=erlen.cli ft=erlen.typing t=typing",
        "datetime": "timedelta",
        "inspect": "iscoroutinefunction",
        "itertools": "chain",
        "types": "TracebackType",
        "werkzeug.datastructures": "Headers ImmutableDict",
        "werkzeug.exceptions": "BadRequestKeyError HTTPException InternalServerError",
        "werkzeug.routing": "BuildError MapAdapter RequestRedirect RoutingException Rule",
        "werkzeug.wsgi": "get_host",
        "werkzeug.serving": "is_running_from_reloader",
        "werkzeug.wrappers": "BaseResponse=Response",
        "erlen.ctx": "AppContext RequestContext",
        "erlen.globals": "current_app g request request_ctx session",
        "erlen.helpers": "get_debug_flag get_flashed_messages get_load_dotenv send_from_directory",
        "erlen.sansio.app": "App",
        "erlen.sessions": "SecureCookieSessionInterface SessionInterface",
        "erlen.signals": (
            "appcontext_tearing_down got_request_exception request_finished request_started"
            " request_tearing_down"
        ),
        "erlen.templating": "Environment",
        "erlen.wrappers": "Request Response",
        "erlen_core.typing": (
            "T_shell_context_processor T_teardown T_template_filter T_template_global"
            " T_template_test"
        ),
    },
    "blueprints": {
        "": "os t=typing",
        "datetime": "timedelta",
        "erlen.cli": "AppGroup",
        "erlen.globals": "current_app",
        "erlen.helpers": "send_from_directory",
        "erlen.sansio.blueprints": "BlueprintSetupState SansioBlueprint=Blueprint",
    },
    "cli": {
        "": "ast click importlib inspect os platform re sys traceback"
        " cabc=collections.abc t=typing",
        "click.core": "ParameterSource",
        "functools": "update_wrapper",
        "operator": "itemgetter",
        "types": "ModuleType",
        "werkzeug.serving": "is_running_from_reloader run_simple",
        "werkzeug.utils": "import_string",
        "erlen.globals": "current_app",
        "erlen.helpers": "get_debug_flag get_load_dotenv",
        "erlen_cli.scriptinfo": "F",
    },
    "config": {
        "": "errno json os types t=typing",
        "werkzeug.utils": "import_string",
        "erlen_core.config": "T",
    },
    "ctx": {
        "": "contextvars sys ft=erlen.typing t=typing",
        "functools": "update_wrapper",
        "types": "TracebackType",
        "werkzeug.exceptions": "HTTPException",
        "erlen.signals": "appcontext_popped appcontext_pushed",
        "erlen_context.ctx": "F",
    },
    "debughelpers": {
        "": "t=typing",
        "jinja2": "BaseLoader",
        "werkzeug.routing": "RequestRedirect",
        "erlen.blueprints": "Blueprint",
        "erlen.globals": "request_ctx",
        "erlen.sansio.app": "App",
    },
    "globals": {
        "": "t=typing",
        "contextvars": "ContextVar",
        "werkzeug.local": "LocalProxy",
    },
    "helpers": {
        "": "importlib os sys werkzeug t=typing",
        "datetime": "datetime",
        "functools": "cache update_wrapper",
        "werkzeug.wrappers": "BaseResponse=Response",
        "erlen.globals": "current_app request request_ctx session",
        "erlen.signals": "message_flashed",
    },
    "json": {"": "t=typing", "erlen.globals": "current_app"},
    "json.provider": {
        "": "dataclasses decimal json uuid weakref t=typing",
        "datetime": "date",
        "werkzeug.http": "http_date",
    },
    "json.tag": {
        "": "t=typing",
        "base64": "b64decode b64encode",
        "datetime": "datetime",
        "markupsafe": "Markup",
        "uuid": "UUID",
        "werkzeug.http": "http_date parse_date",
        "erlen.json": "dumps loads",
    },
    "logging": {
        "": "logging sys t=typing",
        "werkzeug.local": "LocalProxy",
        "erlen.globals": "request",
    },
    "sansio.app": {
        "": "logging os sys ft=erlen.typing t=typing",
        "datetime": "timedelta",
        "itertools": "chain",
        "werkzeug.exceptions": "Aborter BadRequest BadRequestKeyError",
        "werkzeug.routing": "BuildError Map Rule",
        "werkzeug.sansio.response": "Response",
        "werkzeug.utils": "cached_property",
        "erlen.config": "Config ConfigAttribute",
        "erlen.helpers": "get_debug_flag",
        "erlen.json.provider": "DefaultJSONProvider JSONProvider",
        "erlen.logging": "create_logger",
        "erlen.sansio.scaffold": "Scaffold find_package setupmethod",
        "erlen.templating": "DispatchingJinjaLoader Environment",
        "erlen_core.typing": (
            "T_shell_context_processor T_teardown T_template_filter T_template_global"
            " T_template_test"
        ),
    },
    "sansio.blueprints": {
        "": "os ft=erlen.typing t=typing",
        "collections": "defaultdict",
        "functools": "update_wrapper",
        "erlen.sansio.scaffold": "Scaffold setupmethod",
        "erlen_blueprints.blueprint": "DeferredSetupFunction",
        "erlen_core.sansio.scaffold": "T_error_handler",
        "erlen_core.typing": (
            "T_after_request T_before_request T_teardown T_template_context_processor"
            " T_url_defaults T_url_value_preprocessor T_template_filter T_template_global"
            " T_template_test"
        ),
    },
    "sansio.scaffold": {
        "": "importlib os pathlib sys ft=erlen.typing t=typing",
        "collections": "defaultdict",
        "functools": "update_wrapper",
        "jinja2": "BaseLoader FileSystemLoader",
        "werkzeug.exceptions": "HTTPException default_exceptions",
        "werkzeug.utils": "cached_property",
        "erlen.helpers": "get_root_path",
        "erlen_core.sansio.scaffold": "F T_error_handler T_route",
        "erlen_core.typing": (
            "T_after_request T_before_request T_teardown T_template_context_processor"
            " T_url_defaults T_url_value_preprocessor"
        ),
    },
    "sessions": {
        "": "hashlib c=collections.abc t=typing",
        "collections.abc": "MutableMapping",
        "datetime": "datetime timezone",
        "itsdangerous": "BadSignature URLSafeTimedSerializer",
        "werkzeug.datastructures": "CallbackDict",
        "erlen.json.tag": "TaggedJSONSerializer",
    },
    "signals": {},
    "templating": {
        "": "t=typing",
        "jinja2": "BaseLoader Template TemplateNotFound BaseEnvironment=Environment",
        "erlen.globals": "current_app request",
        "erlen.helpers": "stream_with_context",
    },
    "testing": {
        "": "importlib werkzeug t=typing",
        "click.testing": "CliRunner Result",
        "contextlib": "ExitStack contextmanager",
        "copy": "copy",
        "types": "TracebackType",
        "urllib.parse": "urlsplit",
        "werkzeug.test": "Client",
        "werkzeug.wrappers": "BaseRequest=Request",
        "erlen.cli": "ScriptInfo",
        "erlen.sessions": "SessionMixin",
    },
    "typing": {"": "cabc=collections.abc t=typing"},
    "views": {
        "": "ft=erlen.typing t=typing",
        "erlen.globals": "current_app request",
        "erlen_core.sansio.scaffold": "F",
    },
    "wrappers": {
        "": "json=erlen.json t=typing",
        "werkzeug.exceptions": "BadRequest HTTPException",
        "werkzeug.wrappers": "RequestBase=Request ResponseBase=Response",
        "erlen.globals": "current_app",
    },
}


def adopt(face: str) -> None:
    """Give the face module named ``face`` what :data:`IMPORTED` lists for it.

    A face calls it last, with its ``__name__``: names the face defines itself are kept.
    """
    namespace = vars(sys.modules[face])
    for origin, names in IMPORTED[face.removeprefix("erlen").removeprefix(".")].items():
        for entry in names.split():
            name, _, source = entry.partition("=")
            if origin:
                value = getattr(importlib.import_module(origin), source or name)
            else:
                value = importlib.import_module(source or name)
            namespace.setdefault(name, value)
