"""A package of app modules for the discovery tests, each showing one way to offer an app."""
