raise RuntimeError("the oven caught fire while importing")
