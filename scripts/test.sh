#!/usr/bin/env bash
# The whole test suite, as CI runs it. Installs what it needs when missing:
#   - PostgreSQL, Chromium, chromedriver and poppler-utils (pdftotext, to read the
#     text of the PDFs Trappa makes) through apt-get,
#   - axe-core and oidc-provider through npm, aiosmtpd and schemathesis through pip
#     (into .test-env/, never committed),
# starts a private PostgreSQL cluster, the test identity provider (npm's oidc-provider,
# configured by scripts/oidc/) and a test SMTP server (aiosmtpd, delivering into a
# Maildir the tests read) for the run, then runs
#   cargo fmt --check, cargo clippy -D warnings, cargo doc -D warnings, every test
#   on SQLite and PostgreSQL, including the browser test in headless Chromium, and the
#   API fuzzer (scripts/fuzz-api.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

step() { printf '\n==> %s\n' "$*"; }
as_root() { if [ "$(id -u)" = 0 ]; then "$@"; else sudo "$@"; fi; }

missing=()
ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1 || missing+=(postgresql)
command -v chromium >/dev/null 2>&1 || missing+=(chromium)
command -v chromedriver >/dev/null 2>&1 || missing+=(chromium-driver)
command -v npm >/dev/null 2>&1 || missing+=(npm)
command -v pdftotext >/dev/null 2>&1 || missing+=(poppler-utils)
if [ ${#missing[@]} -gt 0 ]; then
  step "Installing ${missing[*]}"
  as_root apt-get update -qq
  DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq "${missing[@]}" >/dev/null
fi

mkdir -p .test-env
if [ ! -f .test-env/node_modules/axe-core/axe.min.js ]; then
  step "Installing axe-core from npm"
  (cd .test-env && npm install --no-audit --no-fund --silent axe-core@4)
fi
export TRAPPA_AXE_PATH="$root/.test-env/node_modules/axe-core/axe.min.js"
if [ ! -f .test-env/node_modules/oidc-provider/lib/index.js ]; then
  step "Installing oidc-provider from npm"
  (cd .test-env && npm install --no-audit --no-fund --silent oidc-provider@9)
fi
if [ ! -x .test-env/py/bin/aiosmtpd ]; then
  step "Installing aiosmtpd from PyPI"
  python3 -m venv .test-env/py 2>/dev/null || {
    DEBIAN_FRONTEND=noninteractive as_root apt-get install -y -qq python3-venv >/dev/null
    python3 -m venv .test-env/py
  }
  .test-env/py/bin/pip install --quiet --disable-pip-version-check aiosmtpd==1.4.6
fi
if [ ! -x .test-env/py/bin/schemathesis ]; then
  step "Installing schemathesis from PyPI"
  .test-env/py/bin/pip install --quiet --disable-pip-version-check schemathesis==4.32.5
fi
# Every page state the browser journeys check, at 1280 and 375 px, for a reviewer to look at.
export TRAPPA_SCREENSHOTS="${TRAPPA_SCREENSHOTS:-$root/target/screenshots}"

step "Starting a private PostgreSQL cluster"
pgdir="${TMPDIR:-/tmp}/trappa-test-pg-$(printf '%s' "$root" | sha1sum | cut -c1-10)"
pg_url=$(scripts/pg-test-cluster.sh "$pgdir")
# The run's SQLite files and browser profiles go here, and everything the run made is
# removed when it ends: test databases are tens of MB each.
export TRAPPA_TEST_TMP
TRAPPA_TEST_TMP=$(mktemp -d "${TMPDIR:-/tmp}/trappa-test-run.XXXXXX")
clean_up() {
  [ -n "${idp_pid:-}" ] && kill "$idp_pid" 2>/dev/null || true
  [ -n "${smtp_pid:-}" ] && kill "$smtp_pid" 2>/dev/null || true
  bin=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$bin/pg_ctl" -D "$pgdir" -m fast stop >/dev/null 2>&1 || true
  else "$bin/pg_ctl" -D "$pgdir" -m fast stop >/dev/null 2>&1 || true; fi
  # A browser still closing may write into its profile while it is removed: try again.
  rm -rf "$pgdir" "$pgdir.initdb.log" "$TRAPPA_TEST_TMP" 2>/dev/null \
    || { sleep 2; rm -rf "$TRAPPA_TEST_TMP" 2>/dev/null || true; }
}
trap clean_up EXIT
export TRAPPA_TEST_POSTGRES_URL="$pg_url"
export TRAPPA_REQUIRE_POSTGRES=1
# The full-disk test mounts a small tmpfs of its own: as root it must run, not skip.
[ "$(id -u)" = 0 ] && export TRAPPA_REQUIRE_MOUNT=1

step "Starting the test identity provider (oidc-provider)"
node scripts/oidc/provider.mjs "$root/.test-env/node_modules" 0 \
  >"$TRAPPA_TEST_TMP/idp.out" 2>"$TRAPPA_TEST_TMP/idp.log" &
idp_pid=$!
for _ in $(seq 1 50); do
  [ -s "$TRAPPA_TEST_TMP/idp.out" ] && break
  sleep 0.2
done
TRAPPA_TEST_OIDC_ISSUER=$(head -n 1 "$TRAPPA_TEST_TMP/idp.out")
[ -n "$TRAPPA_TEST_OIDC_ISSUER" ] || { cat "$TRAPPA_TEST_TMP/idp.log"; exit 1; }
export TRAPPA_TEST_OIDC_ISSUER
export TRAPPA_REQUIRE_OIDC=1
echo "issuer: $TRAPPA_TEST_OIDC_ISSUER"

step "Starting the test SMTP server (aiosmtpd)"
smtp_port=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
export TRAPPA_TEST_SMTP_MAILDIR="$TRAPPA_TEST_TMP/mail"
.test-env/py/bin/python -m aiosmtpd -n -l "127.0.0.1:$smtp_port" \
  -c aiosmtpd.handlers.Mailbox "$TRAPPA_TEST_SMTP_MAILDIR" >"$TRAPPA_TEST_TMP/smtp.log" 2>&1 &
smtp_pid=$!
for _ in $(seq 1 50); do
  python3 -c "import socket; socket.create_connection(('127.0.0.1', $smtp_port), 1)" 2>/dev/null && break
  sleep 0.2
done
export TRAPPA_TEST_SMTP_URL="smtp://127.0.0.1:$smtp_port"
export TRAPPA_REQUIRE_SMTP=1
echo "smtp: $TRAPPA_TEST_SMTP_URL"

step "cargo fmt --check"
cargo fmt --all --check

step "cargo clippy --workspace --all-targets -- -D warnings"
cargo clippy --workspace --all-targets --quiet -- -D warnings

step "cargo doc --workspace --no-deps (every doc link resolves)"
RUSTDOCFLAGS="-D warnings" cargo doc --workspace --no-deps --quiet

step "cargo test --workspace (SQLite and PostgreSQL, browser included)"
set +e
cargo test --workspace --no-fail-fast -- --include-ignored 2>&1 | tee .test-env/test-output.txt
status=${PIPESTATUS[0]}
set -e

step "Fuzzing the JSON API with schemathesis as five roles (no 5xx; the database whole after)"
fuzz=0
scripts/fuzz-api.sh || fuzz=$?

passed=$(grep -Eo '^test result: [a-zA-Z]+\. [0-9]+ passed' .test-env/test-output.txt | awk '{s+=$4} END {print s+0}')
failed=$(grep -Eo '[0-9]+ failed' .test-env/test-output.txt | awk '{s+=$1} END {print s+0}')
echo
echo "tests: $passed passed, $failed failed; API fuzzing: $([ "$fuzz" = 0 ] && echo passed || echo FAILED)"
[ "$status" = 0 ] && [ "$failed" = 0 ] && [ "$fuzz" = 0 ]
