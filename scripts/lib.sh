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
