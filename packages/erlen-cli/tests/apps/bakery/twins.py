"""Two instances and no conventional name: discovery cannot choose."""

from miniapp import MiniApp

morning = MiniApp("morning")
evening = MiniApp("evening")
