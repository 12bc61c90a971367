import missing_dependency_of_cliapp  # noqa: F401
