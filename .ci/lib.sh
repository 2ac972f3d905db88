# Shared by .ci/start, .ci/test and .ci/bench: installs what is missing, starts and stops the
# services they need. Everything started is stopped by PID when the script exits.

set -euo pipefail

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
CARGO_LEPTOS_VERSION=0.3.10 # 0.3.11 needs rustc 1.96 with --locked
S3S_FS_VERSION=0.14.1       # later versions need rustc 1.96
BINARYEN_VERSION=132        # never Debian's binaryen 108: its wasm-opt output breaks in the browser
TOOLS="$ROOT/.stakeboard/tools"
export PATH="$HOME/.cargo/bin:$TOOLS/node_modules/.bin:$PATH"

PIDS=()

# The faucet key of the local devnet (devchain/faucet.toml): the public BIP-39 test mnemonic.
DEV_FAUCET_MNEMONIC="abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon abandon about"
DEV_FAUCET_ADDRESS=cosmos19rl4cm2hmr8afy4kldpxz3fka4jguq0auqdal4

log() { printf '\033[1;36m==> %s\033[0m\n' "$*" >&2; }
die() { printf '\033[1;31merror: %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@"
  elif command -v sudo >/dev/null; then sudo "$@"
  else die "root is needed to run: $*"
  fi
}

# apt_install PACKAGE... installs the Debian packages that are not installed yet.
apt_install() {
  local missing=()
  for package in "$@"; do
    dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    log "installing Debian packages: ${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
  fi
}

ensure_postgres() { apt_install postgresql; }

ensure_node() {
  command -v npm >/dev/null || apt_install nodejs npm
}

ensure_wasm_target() {
  rustup target list --installed | grep -qx wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
}

ensure_cargo_leptos() {
  if ! cargo leptos --version 2>/dev/null | grep -q " $CARGO_LEPTOS_VERSION\$"; then
    log "installing cargo-leptos $CARGO_LEPTOS_VERSION (about 18 minutes on 2 cores)"
    cargo install cargo-leptos --locked --version "$CARGO_LEPTOS_VERSION"
  fi
}

# The CLI must match the wasm-bindgen crate in Cargo.lock exactly; nothing else checks it.
ensure_wasm_bindgen() {
  local version
  version=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' "$ROOT/Cargo.lock")
  [ -n "$version" ] || die "no wasm-bindgen in Cargo.lock"
  if ! wasm-bindgen --version 2>/dev/null | grep -q " $version\$"; then
    log "installing wasm-bindgen-cli $version"
    # Without --locked: its lock file names a crate version the registry no longer serves.
    cargo install wasm-bindgen-cli --version "$version"
  fi
}

# cargo-leptos runs wasm-opt for release builds and would otherwise download it from GitHub.
ensure_wasm_opt() {
  ensure_node
  if [ ! -x "$TOOLS/node_modules/.bin/wasm-opt" ]; then
    log "installing binaryen@$BINARYEN_VERSION (wasm-opt) from npm"
    mkdir -p "$TOOLS"
    npm install --silent --no-audit --no-fund --prefix "$TOOLS" "binaryen@$BINARYEN_VERSION" >/dev/null
  fi
}

ensure_s3s_fs() {
  if ! s3s-fs --version 2>/dev/null | grep -q "$S3S_FS_VERSION"; then
    log "installing s3s-fs $S3S_FS_VERSION (S3-compatible server for the archive tests)"
    cargo install s3s-fs --version "$S3S_FS_VERSION" --locked --features binary
  fi
}

ensure_end2end() {
  ensure_node
  apt_install chromium
  if [ ! -d "$ROOT/end2end/node_modules/@playwright/test" ]; then
    log "installing the end-to-end test packages"
    (cd "$ROOT/end2end" && PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD=1 npm ci --silent --no-audit --no-fund)
  fi
}

# free_port prints a loopback TCP port nobody listens on.
free_port() {
  local port
  for _ in $(seq 100); do
    port=$((20000 + RANDOM % 40000))
    if ! (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
      echo "$port"
      return
    fi
  done
  die "no free port found"
}

# wait_for URL SECONDS waits until URL answers 2xx.
wait_for() {
  local url=$1 deadline=$((SECONDS + $2))
  until curl -fsS -o /dev/null "$url" 2>/dev/null; do
    [ $SECONDS -lt "$deadline" ] || die "$url did not answer within $2 s"
    sleep 0.5
  done
}

# background NAME LOGFILE COMMAND... starts a service and remembers its PID.
background() {
  local name=$1 logfile=$2
  shift 2
  "$@" >"$logfile" 2>&1 &
  PIDS+=("$!")
  log "started $name (pid $!, log $logfile)"
}

stop_all() {
  local pid
  for pid in "${PIDS[@]}"; do
    kill "$pid" 2>/dev/null || true
  done
  for pid in "${PIDS[@]}"; do
    wait "$pid" 2>/dev/null || true
  done
  PIDS=()
}

# Starts the faucet's devchain (chain id devnet-1, the dev faucet key funded) on port $1,
# logging to $2.
start_faucet_devchain() {
  local port=$1 logfile=$2 bin=${3:-target/debug/devchain}
  background devnet "$logfile" "$bin" --addr "127.0.0.1:$port" --chain-id devnet-1 \
    --block-time-ms 1000 --no-gov-scenario --fund "$DEV_FAUCET_ADDRESS=100000000000000"
  wait_for "http://127.0.0.1:$port/cosmos/base/tendermint/v1beta1/node_info" 30
}
