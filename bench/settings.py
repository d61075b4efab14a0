"""Settings for the benchmark server (bench/): the project's own settings, plus two bench-only parts.

- ``ROOT_URLCONF = "bench.urls"``: the project's URLs plus the FLOOR views, which exist only here,
  never in ``relations.urls`` (tests/test_bench.py checks that).
- ``bench.middleware.QueryCountMiddleware`` first in the chain: every response carries
  ``X-Bench-Queries``, the number of SQL queries the request ran (sessions and authentication included).

Everything else (DEBUG, database, security, throttling) comes from the environment exactly as in
production; ``python -m bench`` sets that environment (see README "Benchmarks").
"""

from relations.settings import *  # noqa: F403
from relations.settings import MIDDLEWARE

ROOT_URLCONF = "bench.urls"
MIDDLEWARE = ["bench.middleware.QueryCountMiddleware", *MIDDLEWARE]
