#!/usr/bin/env bash
# Fuzz the API with schemathesis, from its own OpenAPI schema: every GET endpoint, then every
# write (POST, PUT, PATCH, DELETE).
#
# Starts the app under gunicorn on 127.0.0.1 (DEBUG off, a throwaway SQLite database with the
# article loaded), gets a token for an Editor (who also sees contact details and may add and
# change records, so every field is exercised; an Editor's DELETE is a documented 403), and lets
# schemathesis generate requests for about FUZZ_SECONDS (default 60) of reads and
# FUZZ_WRITE_SECONDS (default 80) of writes, so the whole step stays under about 3 minutes.
# Fails on any 5xx, on a response that does not match the schema, or with a wrong content type.
#
# The token endpoint (/api/token/) is left out of the write run: it takes a username and password,
# and random ones are failed logins that the login-attempt limit (django-axes) counts against
# 127.0.0.1, which would lock the fuzzer (and anything else on this host) out. It has no GET, so
# the read run does not reach it either; tests/test_permission_matrix.py covers it.
#
# Four gunicorn workers write to one SQLite file at once: relations/settings.py makes SQLite
# transactions take the write lock when they begin (transaction_mode IMMEDIATE, 20 s timeout);
# without it the write run got 500s from "database is locked".
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
[ -x "$PY" ] || make install
PORT="${FUZZ_PORT:-8765}"
SECONDS_BUDGET="${FUZZ_SECONDS:-60}"
WRITE_SECONDS_BUDGET="${FUZZ_WRITE_SECONDS:-80}"
WORK="$(mktemp -d)"
SERVER_PID=""
cleanup() {
    if [ -n "$SERVER_PID" ]; then kill "$SERVER_PID" 2>/dev/null || true; wait "$SERVER_PID" 2>/dev/null || true; fi
    rm -rf "$WORK"
}
trap cleanup EXIT

export DATABASE_URL="sqlite:///$WORK/fuzz.sqlite3"
export DJANGO_DEBUG=0
export DJANGO_SECRET_KEY="fuzz-$(date +%s)-$RANDOM$RANDOM"
export DJANGO_ALLOWED_HOSTS=127.0.0.1
# Plain HTTP to gunicorn, no TLS proxy in front: production would redirect every request to https.
export DJANGO_SECURE_SSL_REDIRECT=0
export DJANGO_STATICFILES_STORAGE=django.contrib.staticfiles.storage.StaticFilesStorage
export RELATIONS_API_USER_RATE=1000000/hour
export RELATIONS_API_ANON_RATE=1000000/hour
export RELATIONS_API_TOKEN_RATE=1000000/hour

"$PY" manage.py migrate --noinput -v0
"$PY" manage.py loaddata article -v0
TOKEN="$("$PY" manage.py shell -v0 -c '
from django.contrib.auth.models import Group, User
from rest_framework.authtoken.models import Token
user = User.objects.create_user("fuzzer")
user.groups.add(Group.objects.get(name="Editor"))
print(Token.objects.create(user=user).key)
')"

.venv/bin/gunicorn relations.wsgi --bind "127.0.0.1:$PORT" --workers 4 --log-level warning \
    --error-logfile "$WORK/gunicorn.log" 2>"$WORK/server.log" &
SERVER_PID=$!
for _ in $(seq 1 50); do
    curl -sf -o /dev/null "http://127.0.0.1:$PORT/api/schema/" && break
    sleep 0.2
done

status=0
fuzz() {  # fuzz <config file> <events file> <schemathesis options...>
    local config="$1" report="$2"; shift 2
    .venv/bin/schemathesis --config-file "$config" run "http://127.0.0.1:$PORT/api/schema/" \
        --header "Authorization: Token $TOKEN" \
        --checks not_a_server_error,response_schema_conformance,content_type_conformance \
        --phases "${FUZZ_PHASES:-examples,fuzzing}" \
        --workers 4 \
        --seed "${FUZZ_SEED:-4}" \
        --report ndjson --report-ndjson-path "$report" \
        --warnings off "$@" || status=$?
}
# The requests of a run, by method and status, from schemathesis' ndjson report.
tally() {
    "$PY" - "$1" <<'PYTHON'
import collections, json, sys
counts = collections.Counter()
for line in open(sys.argv[1], encoding="utf-8"):
    event = json.loads(line).get("ScenarioFinished")
    for interaction in ((event or {}).get("recorder") or {}).get("interactions", {}).values():
        response = interaction.get("response") or {}
        counts[interaction["request"]["method"], response.get("status_code", "no answer")] += 1
total = sum(counts.values())
methods = sorted({method for method, _ in counts})
print(f"{total} requests: " + "; ".join(
    f"{method} {sum(n for (m, _), n in counts.items() if m == method)} ("
    + ", ".join(f"{status}: {n}" for (m, status), n in sorted(counts.items(), key=str) if m == method) + ")"
    for method in methods
))
PYTHON
}

# Writes to a random id are mostly 404s; most of them go to records of the article instead, so
# the fuzzer's bodies reach validation and the services.
touch "$WORK/reads.toml"
cat > "$WORK/writes.toml" <<'TOML'
[dictionaries.ids]
values = ["1", "2", "3", "4", "5", "6"]

[parameters]
"path.id" = { dictionary = "ids", probability = 0.8 }
TOML

fuzz "$WORK/reads.toml" "$WORK/reads.ndjson" --include-method GET --max-time "$SECONDS_BUDGET"
fuzz "$WORK/writes.toml" "$WORK/writes.ndjson" --include-method POST --include-method PUT --include-method PATCH \
    --include-method DELETE --exclude-path /api/token/ --max-time "$WRITE_SECONDS_BUDGET"

echo "GET endpoints, ${SECONDS_BUDGET}s budget: $(tally "$WORK/reads.ndjson")"
echo "Writes, ${WRITE_SECONDS_BUDGET}s budget: $(tally "$WORK/writes.ndjson")"
if [ -n "${FUZZ_KEEP_REPORTS:-}" ]; then cp "$WORK"/*.ndjson "$FUZZ_KEEP_REPORTS"/; fi
# Django logs 4xx answers as warnings (expected here) and 5xx with their traceback.
if grep -q "Traceback\|Internal Server Error" "$WORK/gunicorn.log" "$WORK/server.log"; then
    echo "The server logged errors:"; grep -v "^\(Bad Request\|Not Found\|Forbidden\):" "$WORK/server.log" "$WORK/gunicorn.log"
    status=1
fi
exit "$status"
