#!/usr/bin/env bash
# Run Decide's JMH benchmarks from the shaded jar (this script builds nothing) and write bench/target/results.md.
#   bench/run.sh [REGEX...] [--quick] [--out FILE]
# REGEX selects benchmarks (default: all of io.decide.bench); --quick is a smoke run (1 fork, 2+3 x 1 s).
# Works from any directory: paths are resolved from this script's location.
set -euo pipefail

BENCH_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
ROOT="$(cd "$BENCH_DIR/.." && pwd)"
JAR="$BENCH_DIR/target/benchmarks.jar"
PROPS="$ROOT/jvm.properties"

if [[ ! -f "$JAR" ]]; then
  echo "run.sh: $JAR not found; build it first: (cd $ROOT && mvn -B -DskipTests package)" >&2
  exit 1
fi
if [[ ! -f "$PROPS" ]]; then
  echo "run.sh: $PROPS not found" >&2
  exit 1
fi
FLAGS="$(sed -n 's/^[[:space:]]*decide\.jvm\.flags[[:space:]]*[=:][[:space:]]*//p' "$PROPS" | head -n 1)"
if [[ -z "$FLAGS" ]]; then
  echo "run.sh: $PROPS has no decide.jvm.flags line" >&2
  exit 1
fi

OUT="$BENCH_DIR/target/results.md"
COMMAND="bench/run.sh $*"
ARGS=()
while [[ $# -gt 0 ]]; do
  case "$1" in
    --out)
      [[ $# -ge 2 ]] || { echo "run.sh: --out needs a file name" >&2; exit 2; }
      OUT="$2"; shift 2
      [[ "$OUT" = /* ]] || OUT="$PWD/$OUT" ;;
    *)
      ARGS+=("$1"); shift ;;
  esac
done

cd "$ROOT"
# shellcheck disable=SC2086 # FLAGS is a list of JVM options, split on purpose.
exec java $FLAGS \
  -Ddecide.jvm.properties="$PROPS" \
  -Ddecide.bench.command="${COMMAND% }" \
  -jar "$JAR" ${ARGS[@]+"${ARGS[@]}"} --out "$OUT"
