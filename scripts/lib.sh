# Shared helpers for scripts/test and scripts/run. Sourced, not executed.

step() {
  local name=$1; shift
  echo "==> $name"
  local start=$SECONDS
  "$@"
  echo "    ($name: $((SECONDS - start)) s)"
}

# Installs Debian packages that are missing (root or sudo needed only when something is).
ensure_apt() {
  local missing=()
  for p in "$@"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  [ ${#missing[@]} -eq 0 ] && return 0
  echo "==> installing Debian packages: ${missing[*]}"
  local sudo=""
  [ "$(id -u)" -eq 0 ] || sudo="sudo"
  $sudo apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $sudo apt-get install -y -qq --no-install-recommends "${missing[@]}"
}

ensure_rust_tools() {
  if ! command -v cargo >/dev/null; then
    echo "cargo is missing: install Rust 1.95.0 (rustup) first" >&2
    exit 1
  fi
  # Crates that compile C (bundled SQLite, libpq) need a C compiler.
  command -v cc >/dev/null || ensure_apt build-essential
}

ensure_cargo_deny() {
  if ! cargo deny --version >/dev/null 2>&1; then
    echo "==> installing cargo-deny (about 2 minutes)"
    cargo install cargo-deny --locked --version 0.20.2
  fi
}

# A PostgreSQL server for the storage tests: installed and started when missing, and
# PORTAL_TEST_PG_URL pointed at it (the tests fail, not skip, when it is set and unreachable).
ensure_postgres() {
  export PORTAL_TEST_PG_URL="${PORTAL_TEST_PG_URL:-postgres://postgres@127.0.0.1:5432/postgres}"
  command -v pg_isready >/dev/null || ensure_apt postgresql postgresql-client
  if ! pg_isready -h 127.0.0.1 -p 5432 -q; then
    local version
    version=$(ls /etc/postgresql 2>/dev/null | sort -V | tail -n 1)
    if [ -z "$version" ]; then
      ensure_apt postgresql
      version=$(ls /etc/postgresql | sort -V | tail -n 1)
    fi
    echo "==> starting PostgreSQL $version"
    pg_ctlcluster --skip-systemctl-redirect "$version" main start || true
    for _ in $(seq 1 30); do pg_isready -h 127.0.0.1 -p 5432 -q && break; sleep 1; done
  fi
  if ! psql "$PORTAL_TEST_PG_URL" -qtAc 'SELECT 1' >/dev/null 2>&1; then
    # A fresh Debian cluster asks loopback clients for a password; the tests' throwaway
    # cluster trusts them instead.
    local hba
    hba=$(ls /etc/postgresql/*/main/pg_hba.conf 2>/dev/null | sort -V | tail -n 1)
    if [ -n "$hba" ] && [ "$(id -u)" -eq 0 ]; then
      echo "==> letting loopback clients into the test PostgreSQL ($hba)"
      sed -i '1i host all all 127.0.0.1/32 trust\nhost all all ::1/128 trust' "$hba"
      pg_ctlcluster --skip-systemctl-redirect "$(basename "$(dirname "$(dirname "$hba")")")" main reload
      sleep 1
    fi
  fi
  psql "$PORTAL_TEST_PG_URL" -qtAc 'SELECT 1' >/dev/null
}

# A real browser for the end-to-end tests: Debian's chromium and chromedriver, driven over
# WebDriver by the Python selenium client.
ensure_browser() {
  command -v chromium >/dev/null && command -v chromedriver >/dev/null || ensure_apt chromium chromium-driver
  if ! python3 -c "import selenium" 2>/dev/null; then
    echo "==> installing the selenium WebDriver client (PyPI)"
    python3 -m pip install --quiet --disable-pip-version-check selenium==4.51.0
  fi
}

# A real IMAP server for the mail-in tests: Debian's Dovecot, started by the tests
# themselves on a loopback port with their own configuration (the package's own service
# is not used).
ensure_dovecot() {
  command -v dovecot >/dev/null || [ -x /usr/sbin/dovecot ] || ensure_apt dovecot-imapd
}

# The HTTP load generator of the benchmark harness (`portal bench`).
ensure_wrk() {
  command -v wrk >/dev/null || ensure_apt wrk
}

# SAML (samael with xmlsec) links libxml2 and xmlsec1 and generates its bindings with
# libclang; every build of the portal needs these.
ensure_saml_build_deps() {
  ensure_apt pkg-config libssl-dev libxml2-dev libxmlsec1-dev libxmlsec1-openssl libclang-dev
}

# The SSO tests: Debian's xmlsec1 signs test responses, pysaml2 acts as a real identity
# provider, PyJWT mints tokens independently of portal's own JWT code.
ensure_sso_test_tools() {
  ensure_apt xmlsec1 python3-pysaml2 python3-jwt
}

# axe-core (npm) for the end-to-end accessibility checks (WCAG 2.2 AA rules), kept between
# runs; the browser tests inject it into every page type they check.
ensure_axe() {
  command -v npm >/dev/null || ensure_apt npm
  PORTAL_AXE_DIR="${PORTAL_AXE_DIR:-$HOME/.cache/portal/axe}"
  export PORTAL_AXE_JS="$PORTAL_AXE_DIR/node_modules/axe-core/axe.min.js"
  if [ ! -s "$PORTAL_AXE_JS" ]; then
    echo "==> installing axe-core (npm) into $PORTAL_AXE_DIR"
    mkdir -p "$PORTAL_AXE_DIR"
    npm install --prefix "$PORTAL_AXE_DIR" --no-audit --no-fund --silent axe-core@4.14.1
  fi
}

# The API contract test: schemathesis (PyPI) in its own virtual environment, kept between
# runs; it checks every /api/v1 answer against the OpenAPI document the server serves.
ensure_schemathesis() {
  PORTAL_VENV="${PORTAL_VENV:-$HOME/.cache/portal/venv}"
  export PORTAL_SCHEMATHESIS="$PORTAL_VENV/bin/schemathesis"
  if ! "$PORTAL_SCHEMATHESIS" --version >/dev/null 2>&1; then
    echo "==> installing schemathesis (PyPI) into $PORTAL_VENV"
    python3 -m venv "$PORTAL_VENV"
    "$PORTAL_VENV/bin/pip" install --quiet --disable-pip-version-check schemathesis==4.32.5
  fi
}
