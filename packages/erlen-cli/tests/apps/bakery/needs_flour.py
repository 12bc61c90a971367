"""Its own import fails: the error is about this module's code, not about finding it."""

import flour_mill_that_is_not_installed  # noqa: F401
