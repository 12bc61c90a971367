"""An app with an ASGI face, and a factory a new process can import."""

from miniapp import AsgiMiniApp

app = AsgiMiniApp("asgi-app")


def create_app() -> AsgiMiniApp:
    return AsgiMiniApp("made-by-factory")
