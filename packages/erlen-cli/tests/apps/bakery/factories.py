"""Factories: one that takes no arguments, one that takes literals, and ones that misbehave."""

from miniapp import MiniApp


def create_app():
    return MiniApp("bakery")


def open_branch(city, street, sep="-"):
    return MiniApp(sep.join([city, street]))


def closed():
    return None


def cold_oven():
    raise TypeError("the oven is cold")
