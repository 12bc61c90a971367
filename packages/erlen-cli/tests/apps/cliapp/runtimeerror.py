raise RuntimeError("the app module itself failed")
