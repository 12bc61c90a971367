from miniapp import MiniApp


def create_app():
    return MiniApp("app")


def create_app2(foo, bar, sep="_"):
    return MiniApp(sep.join(["app2", foo, bar]))


def no_app():
    return None


def raises_type_error():
    raise TypeError("broken inside the factory")
