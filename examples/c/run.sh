#!/usr/bin/env bash
# Build the C example against libdecide.so and run it on a policy directory: it prints each artifact, a few
# decisions of every kind, and per-call latency percentiles.
#
#   examples/c/run.sh POLICY_DIR
#
# An empty or missing POLICY_DIR gets the example policies ("ctr": GBDT, "quota": QUOTA_DUAL). Builds engine-jni
# first (mvn -pl engine-jni -am test-compile) when its library or class path is missing. Environment:
# DECIDE_EXAMPLE_CALLS (timed calls per kind, default 200000), DECIDE_JVM_OPTIONS (default -Xmx256m), JAVA_HOME.
set -euo pipefail
root=$(cd "$(dirname "$0")/../.." && pwd)
dir=${1:?usage: examples/c/run.sh POLICY_DIR}
jni=$root/engine-jni/target
if [[ ! -f $jni/native/libdecide.so || ! -f $jni/classpath.txt || ! -d $jni/test-classes ]]; then
    (cd "$root" && mvn -B -q -pl engine-jni -am test-compile)
fi
classpath=$jni/classes:$jni/test-classes:$(cat "$jni/classpath.txt")
if ! compgen -G "$dir/*.dpol" > /dev/null; then
    # shellcheck disable=SC2046 # the flags are whitespace-separated options
    java $(sed -n 's/^decide\.jvm\.flags=//p' "$root/jvm.properties") -cp "$classpath" io.decide.jni.TestPolicies "$dir"
fi
example=$jni/native/example_c_run
gcc -std=c11 -O2 -D_GNU_SOURCE -Wall -Wextra -Werror -I"$root/engine-jni/src/main/c" "$root/examples/c/example.c" \
    -o "$example" -L"$jni/native" -Wl,-rpath,"$jni/native" -ldecide -lm
export DECIDE_CLASSPATH=$classpath
export DECIDE_JVM_OPTIONS=${DECIDE_JVM_OPTIONS:--Xmx256m}
exec "$example" "$dir" "${DECIDE_EXAMPLE_CALLS:-200000}"
