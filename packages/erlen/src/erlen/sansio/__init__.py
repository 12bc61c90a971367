"""The I/O-free parts shared by the WSGI face and a later ASGI one."""
