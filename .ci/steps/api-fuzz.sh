#!/usr/bin/env bash
# Fuzz every GET endpoint of the API with schemathesis, from its own OpenAPI schema.
#
# Starts the app under gunicorn on 127.0.0.1 (DEBUG off, a throwaway SQLite database with the
# article loaded), gets a token for an Editor (who also sees contact details, so every field is
# exercised), and lets schemathesis generate requests for about FUZZ_SECONDS (default 90).
# Fails on any 5xx, on a response that does not match the schema, or with a wrong content type.
set -euo pipefail
cd "$(dirname "$0")/../.."

PY=.venv/bin/python
[ -x "$PY" ] || make install
PORT="${FUZZ_PORT:-8765}"
SECONDS_BUDGET="${FUZZ_SECONDS:-90}"
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
.venv/bin/schemathesis run "http://127.0.0.1:$PORT/api/schema/" \
    --include-method GET \
    --header "Authorization: Token $TOKEN" \
    --checks not_a_server_error,response_schema_conformance,content_type_conformance \
    --max-time "$SECONDS_BUDGET" \
    --phases "${FUZZ_PHASES:-examples,fuzzing}" \
    --workers 4 \
    --seed "${FUZZ_SEED:-4}" \
    --report ndjson --report-ndjson-path "$WORK/events.ndjson" \
    --warnings off || status=$?

requests=$(grep -o '"response": *{' "$WORK/events.ndjson" | wc -l || true)
echo "schemathesis made $requests requests to the API (GET endpoints, ${SECONDS_BUDGET}s budget)"
# Django logs 4xx answers as warnings (expected here) and 5xx with their traceback.
if grep -q "Traceback\|Internal Server Error" "$WORK/gunicorn.log" "$WORK/server.log"; then
    echo "The server logged errors:"; grep -v "^\(Bad Request\|Not Found\|Forbidden\):" "$WORK/server.log" "$WORK/gunicorn.log"
    status=1
fi
exit "$status"
