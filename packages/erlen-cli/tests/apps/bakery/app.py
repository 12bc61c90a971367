"""One instance under a name of its own: found by searching, or as ``bakery.app:storefront``."""

from miniapp import MiniApp

storefront = MiniApp("storefront")
