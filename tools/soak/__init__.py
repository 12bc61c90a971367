"""Soak test: sustained mixed load on the tutorial blog under gunicorn.

``nox -s soak`` runs ``python -m tools.soak`` (``nox -s soak -- --requests 3000`` for a short
run, ``-- --help`` for the options). The driver (:mod:`.__main__`) creates a fresh SQLite
database with ``init-db`` and starts gunicorn with gthread workers on a free port of 127.0.0.1
(:mod:`.server`). Several client processes (:mod:`.client`: stdlib :mod:`http.client`,
keep-alive connections, a cookie jar) share one budget of requests: each registers, logs in,
then picks every request from :data:`.client.MIX`.

The run fails, exit status 1 with the reasons, on any 5xx answer, any other answer a correct
client should not get (a 4xx other than the deliberate 404s, a dropped connection), a write that
was acknowledged but is not in the database afterwards, a worker whose RSS grew by 10% or more
between the warm-up and the end, fewer requests than asked for, or a server that died.
"""
