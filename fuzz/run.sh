#!/usr/bin/env bash
# Runs every libFuzzer target of fuzz/ for its share of a time budget; fails on the first crash,
# leak, timeout or out-of-memory, printing the reproducer (docs/security-evidence.md).
#   fuzz/run.sh SECONDS_TOTAL [TARGET...]   build (preset `asan`) then fuzz; default: all targets
#   fuzz/run.sh --reproduce [TARGET...]     run each target once over fuzz/crashes/<target>/
#                                           (known crashes, kept out of the CI corpus until fixed)
# The committed seeds fuzz/corpus/<target>/ are read, never written: what a run discovers goes
# to build-asan/fuzz-corpus/<target>/ (kept between runs on the same machine) and crashes to
# build-asan/fuzz-artifacts/<target>/.
set -uo pipefail
cd "$(dirname "$0")/.."

BUILD_DIR=build-asan   # preset asan: clang, ASan, UBSan, libFuzzer coverage (shared with the sanitizer unit suite)
ALL_TARGETS=(help_token help_api form multipart csv_import hsds_import flow_yaml opening_hours sheet followup_code smtp_reply)
MIN_SECONDS=5
TIMEOUT_SECONDS=${FUZZ_TIMEOUT:-10}   # one input running longer is a finding
RSS_LIMIT_MB=${FUZZ_RSS_LIMIT_MB:-2048}

export ASAN_OPTIONS=${ASAN_OPTIONS:-halt_on_error=1:abort_on_error=1:detect_leaks=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-halt_on_error=1:print_stacktrace=1}
export PASSERELLE_ASSETS_DIR=$PWD

reproduce=0
if [[ ${1:-} == --reproduce ]]; then
  reproduce=1
  shift
elif [[ ${1:-} =~ ^[0-9]+$ ]]; then
  total=$1
  shift
else
  echo "usage: fuzz/run.sh SECONDS_TOTAL [TARGET...] | fuzz/run.sh --reproduce [TARGET...]" >&2
  exit 2
fi
targets=("$@")
((${#targets[@]})) || targets=("${ALL_TARGETS[@]}")

# The clang build with libFuzzer, AddressSanitizer and UndefinedBehaviorSanitizer.
build_start=$(date +%s)
if [[ ! -f $BUILD_DIR/CMakeCache.txt ]]; then
  launcher=()
  command -v ccache >/dev/null && launcher=(-DCMAKE_CXX_COMPILER_LAUNCHER=ccache)
  cmake --preset asan -G "Unix Makefiles" "${launcher[@]}" >/dev/null || exit 1
fi
cmake --build "$BUILD_DIR" -j"${JOBS:-$(nproc)}" --target $(printf 'fuzz_%s ' "${targets[@]}") >/dev/null \
  || { echo "fuzz: build failed (cmake --build $BUILD_DIR --target fuzz_targets)" >&2; exit 1; }
echo "fuzz: build $(($(date +%s) - build_start)) s"

show_input() {
  python3 -c 'import sys; data = open(sys.argv[1], "rb").read(); print(repr(data[:4000]) + (" …" if len(data) > 4000 else ""))' "$1"
}

if ((reproduce)); then
  status=0
  for t in "${targets[@]}"; do
    shopt -s nullglob
    files=(fuzz/crashes/"$t"/*)
    shopt -u nullglob
    ((${#files[@]})) || continue
    for f in "${files[@]}"; do
      if "$BUILD_DIR/fuzz/fuzz_$t" -runs=1 "$f" >"$BUILD_DIR/reproduce.log" 2>&1; then
        echo "fuzz: $t $f: no longer crashes (move it to fuzz/corpus/$t/)"
      else
        echo "fuzz: $t $f: still crashes"
        grep -m 3 -E 'ERROR|runtime error|FUZZ_CHECK|SUMMARY' "$BUILD_DIR/reproduce.log" | sed 's/^/    /'
        status=1
      fi
    done
  done
  exit $status
fi

share=$((total / ${#targets[@]}))
((share >= MIN_SECONDS)) || share=$MIN_SECONDS
failed=()
for t in "${targets[@]}"; do
  work=$BUILD_DIR/fuzz-corpus/$t
  artifacts=$BUILD_DIR/fuzz-artifacts/$t
  mkdir -p "$work" "$artifacts"
  log=$BUILD_DIR/fuzz-$t.log
  start=$(date +%s)
  "$BUILD_DIR/fuzz/fuzz_$t" -max_total_time="$share" -timeout="$TIMEOUT_SECONDS" -rss_limit_mb="$RSS_LIMIT_MB" \
    -max_len=16384 -print_final_stats=1 -artifact_prefix="$artifacts/" "$work" "fuzz/corpus/$t" >"$log" 2>&1
  rc=$?
  runs=$(sed -n 's/^stat::number_of_executed_units: *//p' "$log" | tail -n 1)
  cov=$(grep -oE 'cov: [0-9]+' "$log" | tail -n 1)
  if ((rc == 0)); then
    echo "fuzz: $t ok ($(($(date +%s) - start)) s, ${runs:-?} inputs, ${cov:-cov: ?})"
  else
    failed+=("$t")
    echo "fuzz: $t FAILED (exit $rc) — $log"
    grep -E 'ERROR: |runtime error|FUZZ_CHECK|SUMMARY|Test unit written|==[0-9]+==' "$log" | head -n 20 | sed 's/^/    /'
    crash=$(sed -n 's/.*Test unit written to \(.*\)$/\1/p' "$log" | tail -n 1)
    if [[ -n $crash && -f $crash ]]; then
      echo "    input: $(show_input "$crash")"
      echo "    reproduce: PASSERELLE_ASSETS_DIR=\$PWD $BUILD_DIR/fuzz/fuzz_$t $crash"
    fi
  fi
done
if ((${#failed[@]})); then
  echo "fuzz: FAILED targets: ${failed[*]}"
  exit 1
fi
echo "fuzz: all ${#targets[@]} targets ok (${share} s each)"
