"""Guichet's benchmark harness: `python -m bench` (or `make bench BENCH_ARGS=...`).

Method
------
For each database (SQLite, PostgreSQL) the harness provisions a fresh, empty database, runs
`guichet migrate` and `guichet demo-data` in the acceptance environment, then starts Guichet as in
production (GUICHET_ENV=production, a generated secret key, one worker, no access log) on a free
port of 127.0.0.1, with uvicorn (`guichet serve`) and/or granian, one server after the other.

Load comes from a second process, wrk, bounded in time (`--duration` seconds per endpoint after a
short warm-up), with `Accept-Encoding: gzip` like a browser. For each endpoint wrk's Lua hook
(`report.lua`) prints requests/s, p50/p90/p99 latency, responses outside 2xx/3xx and socket errors
as one JSON line.

What counts is a ratio, not an absolute figure: this machine is shared and its speed drifts from run
to run, so every page is compared with the plain-text hello endpoint (`GET /healthz`) of the same
server in the same run. The hello endpoint is measured first and again last; the reference is the
mean of the two, and their difference ("drift") says how steady the machine was. A page at 0.25x
serves a quarter of the requests the bare framework serves on this machine, whatever the machine.

Weights are measured once per run, from the bytes as served: the page's body compressed with gzip
(P1: 14 KB, 4 KB for an htmx fragment), its first visit (the HTML plus every same-origin stylesheet,
script, icon and image it links, and what the stylesheets load, P2: 60 KB) and its repeat visit (the
HTML plus whatever is not cached as immutable, P2: 15 KB). KB means 1,000 bytes: the stricter
reading, so that a page at the limit plus its headers still fits the 14,600-byte TCP initial window.

At the end each server gets SIGTERM and must exit within 10 s (it is killed otherwise, and the
output says so); the database is dropped whatever happens, Ctrl-C included. The results are printed
as tables and written as JSON to bench/results/<UTC timestamp>.json. The exit status is 1 when a
budget is exceeded, a request failed or a server did not stop cleanly.

Pages are listed in `bench/pages.py`; later features add theirs there.
"""
