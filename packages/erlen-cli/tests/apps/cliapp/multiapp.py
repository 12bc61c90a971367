from miniapp import MiniApp

app1 = MiniApp("app1")
app2 = MiniApp("app2")
