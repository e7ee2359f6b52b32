#!/usr/bin/env bash
# Fuzzes the JSON API with schemathesis (PyPI) against a real `trappa serve` over a fresh
# SQLite database with the demo data, signed in as each of five roles in turn, with
# every check schemathesis has (scripts/schemathesis.toml names the few exceptions and
# why): no server error, every answer's status, content type and body as documented,
# schema-valid requests accepted and schema-invalid ones refused, created resources
# reachable through the document's links. Afterwards the database must pass its own
# integrity checks (`trappa check`). Bounded: a few examples per operation and role;
# Hypothesis's health checks (slow or much-filtered generation) are not failures of
# Trappa. scripts/fuzz_hooks.py makes valid identity numbers and vårdcentral ids.
# TRAPPA_FUZZ_ROLES, TRAPPA_FUZZ_EXAMPLES, TRAPPA_FUZZ_CHECKS narrow or widen a run;
# TRAPPA_FUZZ_VERBOSE=1 prints each role's whole report.
# Usage: scripts/fuzz-api.sh   (after `cargo build -p trappa`; scripts/test.sh runs it)
# Needs .test-env/py with schemathesis (scripts/test.sh installs it).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)
trappa=target/debug/trappa
py=.test-env/py/bin/python
work=$(mktemp -d "${TRAPPA_TEST_TMP:-${TMPDIR:-/tmp}}/trappa-fuzz.XXXXXX")
db="sqlite://$work/fuzz.db"
port=$($py -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
base="http://127.0.0.1:$port"
export TRAPPA_DATA_DIR="$work" TRAPPA_LOG_LEVEL=warn
"$trappa" --database-url "$db" demo >/dev/null
"$trappa" --database-url "$db" serve --listen "127.0.0.1:$port" 2>"$work/serve.log" &
server=$!
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
ready=no
for _ in $(seq 1 100); do
  curl -fs "$base/readyz" >/dev/null 2>&1 && { ready=yes; break; }
  sleep 0.2
done
[ $ready = yes ] || { echo "trappa serve did not become ready" >&2; cat "$work/serve.log" >&2; exit 1; }

# Signs in as a demo user; prints the two headers a signed-in API call carries.
headers() {
  $py - "$base" "$1" <<'PY'
import re, sys, urllib.request, urllib.parse, http.cookiejar
base, user = sys.argv[1], sys.argv[2]
jar = http.cookiejar.CookieJar()
class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *a, **k): return None
opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect)
page = opener.open(base + "/logga-in").read().decode()
csrf = re.search(r'name="csrf" value="([^"]+)"', page).group(1)
form = urllib.parse.urlencode({"csrf": csrf, "username": user,
                               "password": "trappa-demo-2026", "next": "/start"}).encode()
try:
    opener.open(base + "/logga-in", form)
except urllib.error.HTTPError as e:
    assert e.code == 303, f"sign-in as {user}: {e.code}"
import json
me = json.loads(opener.open(base + "/api/v1/me").read())
print("Cookie: " + "; ".join(f"{c.name}={c.value}" for c in jar))
print("X-CSRF-Token: " + me["csrf_token"])
PY
}

status=0
for role in ${TRAPPA_FUZZ_ROLES:-lakare sjukskoterska koordinator remittent granskare}; do
  mapfile -t h < <(headers "$role")
  # The vårdcentraler's ids, for the hooks' `vardcentral-id` format.
  [ -s "$work/units.txt" ] || curl -fsS -H "${h[0]}" "$base/api/v1/units" |
    $py -c 'import json, sys; print("\n".join(u["id"] for u in json.load(sys.stdin)))' >"$work/units.txt"
  # The physician, who may write nearly everything, runs every phase; the others, whose
  # writes are mostly refused, skip the slow boundary-value ("coverage") phase, which
  # sends the same thousands of requests whoever asks, to keep the suite's time.
  case $role in
    lakare) phases=examples,coverage,fuzzing,stateful ;;
    *) phases=examples,fuzzing,stateful ;;
  esac
  echo "--- schemathesis as $role ($phases)"
  # Run from the work directory: schemathesis and Hypothesis keep their caches in the
  # current one.
  (cd "$work" && PYTHONPATH="$root/scripts" SCHEMATHESIS_HOOKS=fuzz_hooks TRAPPA_FUZZ_UNITS="$work/units.txt" "$root/.test-env/py/bin/schemathesis" --config-file "$root/scripts/schemathesis.toml" run "$base/api/openapi.json" -H "${h[0]}" -H "${h[1]}" \
    ${TRAPPA_FUZZ_CHECKS:+--checks "$TRAPPA_FUZZ_CHECKS"} --max-examples "${TRAPPA_FUZZ_EXAMPLES:-10}" --workers 2 --phases "$phases" \
    --seed 1 --suppress-health-check all --no-color) >"$work/fuzz-$role.txt" 2>&1 || status=1
  if [ -n "${TRAPPA_FUZZ_VERBOSE:-}" ]; then cat "$work/fuzz-$role.txt"; fi
  grep -E "generated|failures|passed in" "$work/fuzz-$role.txt" | tail -n 2
  [ $status = 0 ] || { cat "$work/fuzz-$role.txt"; tail -n 50 "$work/serve.log"; break; }
done
kill $server; wait $server 2>/dev/null || true
echo "--- the database after fuzzing"
"$trappa" --database-url "$db" check || status=1
exit $status
