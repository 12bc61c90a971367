from miniapp import MiniApp
from werkzeug.routing import Rule

app = MiniApp("hello", [Rule("/", endpoint="hello")])
