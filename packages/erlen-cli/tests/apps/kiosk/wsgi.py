"""The default module name in a folder that is not a package."""

from miniapp import MiniApp
from werkzeug.routing import Rule

app = MiniApp("kiosk", [Rule("/", endpoint="kiosk")])
