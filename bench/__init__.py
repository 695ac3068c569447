"""Guichet's benchmark harness: `python -m bench` (or `make bench BENCH_ARGS=...`).

Method
------
For each database (SQLite, PostgreSQL) the harness provisions a fresh, empty database, runs
`guichet migrate`, `guichet demo-data` and `python -m bench.seed` (what the pages need beyond the
demo data: "Mon dossier" with 20 requests, an attachment row) in the acceptance environment, then
starts Guichet as in production (GUICHET_ENV=production, a generated secret key, one worker, no
access log) on a free port of 127.0.0.1, with uvicorn (`guichet serve`) and/or granian, one server
after the other.

Load comes from a second process, wrk, bounded in time (`--duration` seconds per endpoint after a
short warm-up), with `Accept-Encoding: gzip` like a browser. For each endpoint wrk's Lua hook
(`report.lua`) prints requests/s, p50/p90/p99 latency, responses outside 2xx/3xx and socket errors
as one JSON line; the bench adds the CPU time the server's processes spent per request.

What counts is a ratio, not an absolute figure: this machine is shared and its speed drifts from
minute to minute, so every page is compared with the plain-text hello endpoint (`GET /healthz`) of
the same server in the same run. The endpoints are measured in turn, hello, page 1, hello, page 2,
..., hello, and a page's ratio divides its req/s by the mean of the two hello measurements around
it; how much those two differ ("hello drift") says how far the ratio can be trusted (beyond 10 % the
bench warns). A page at 0.25 serves a quarter of what the bare framework serves on this machine,
whatever the machine. The "CPU ratio" makes the same comparison with the server's CPU time per
request, which the other programs of the machine disturb less: a cross-check, not what the budgets
use. Absolute req/s are printed for information only; comparing two servers is best done on ratios
and CPU ms per request, and on more than one run.

Weights are measured once per run, from the bytes as served: the page's body compressed with gzip
(P1: 14 KB, 4 KB for an htmx fragment), its first visit (the HTML plus every same-origin stylesheet,
script, icon and image it links, and what the stylesheets load, P2: 60 KB) and its repeat visit (the
HTML plus whatever is not cached as immutable, P2: 15 KB). KB means 1,000 bytes: the stricter
reading, so that a page at the limit plus its headers still fits the 14,600-byte TCP initial window.

P5 (cost grows with the user's own data, not the table) is a phase of its own, on PostgreSQL, after
the runs above (`--no-scale` skips it; `--page` chooses among its pages, mon-dossier, consultation
and consultation-suivante): a fresh database with the same data and 1,000 requests in all, one
production server, each page loaded with 4 connections in 3 rounds; then the tables grow in SQL on
the server to 1,000,000 requests, 3 million history rows, 100,000 citizens and 5,000 enterprises
(other people's: the measured users' own data stay the same), and the same server is measured again.
A page whose best p50 latency grows more than 1.5× is flagged (bench/scale.py says how the
machine's drift is told apart; bench/growth.py what the rows look like).

After the load each server gets SIGTERM and must exit within 10 s, having logged its graceful
shutdown (it is killed otherwise, and the output says so); the database is dropped whatever
happens, Ctrl-C included. The results are printed as tables and written as JSON to
bench/results/<UTC timestamp>.json. Exit status: 0, or 1 when a budget is missed, a request failed
or a server did not stop cleanly, 2 when the bench could not run, 130 when interrupted.

Pages are listed in `bench/pages.py`; later features add theirs there.
"""
