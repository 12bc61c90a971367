"""Type aliases: erlen's face for ``flask.typing`` (owned by erlen-core)."""

from __future__ import annotations

from erlen._imported import adopt
from erlen_core.typing import AfterRequestCallable as AfterRequestCallable
from erlen_core.typing import AppOrBlueprintKey as AppOrBlueprintKey
from erlen_core.typing import BeforeFirstRequestCallable as BeforeFirstRequestCallable
from erlen_core.typing import BeforeRequestCallable as BeforeRequestCallable
from erlen_core.typing import ErrorHandlerCallable as ErrorHandlerCallable
from erlen_core.typing import HeadersValue as HeadersValue
from erlen_core.typing import HeaderValue as HeaderValue
from erlen_core.typing import ResponseClass as ResponseClass
from erlen_core.typing import ResponseReturnValue as ResponseReturnValue
from erlen_core.typing import ResponseValue as ResponseValue
from erlen_core.typing import RouteCallable as RouteCallable
from erlen_core.typing import ShellContextProcessorCallable as ShellContextProcessorCallable
from erlen_core.typing import TeardownCallable as TeardownCallable
from erlen_core.typing import TemplateContextProcessorCallable as TemplateContextProcessorCallable
from erlen_core.typing import TemplateFilterCallable as TemplateFilterCallable
from erlen_core.typing import TemplateGlobalCallable as TemplateGlobalCallable
from erlen_core.typing import TemplateTestCallable as TemplateTestCallable
from erlen_core.typing import URLDefaultCallable as URLDefaultCallable
from erlen_core.typing import URLValuePreprocessorCallable as URLValuePreprocessorCallable

adopt(__name__)
