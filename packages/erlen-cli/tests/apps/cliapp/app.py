from miniapp import MiniApp

testapp = MiniApp("testapp")
