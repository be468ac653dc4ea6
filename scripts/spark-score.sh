#!/usr/bin/env bash
# Scores a CSV or Parquet file with a ugmm model on Apache Spark, from this checkout's Maven build:
#   scripts/spark-score.sh --model FILE --input CSV|PARQUET --output DIR [--master local[2]]
#                          [--format csv|parquet] [--handle-invalid error|keep]
# Writes CSV part files (prediction, class, probability_<class> per class) into DIR, in the input's row
# order (part-00000 first). DIR must not exist. Spark runs in this JVM with --master (default local[2]);
# for a real cluster use spark-submit (README, "On a Spark cluster").
# Honours JAVA_HOME (which JDK runs it) and JAVA_OPTS (extra JVM options, e.g. -Xmx8g).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
if [[ -n "${JAVA_HOME:-}" ]]; then java="$JAVA_HOME/bin/java"; else java="java"; fi
jar="$here/ugmm-spark/target/ugmm-spark-0.1.0-SNAPSHOT.jar"
classpath="$here/ugmm-spark/target/classpath.txt"
stamp="$here/ugmm-spark/target/.spark-score-built"

for arg in "$@"; do
  if [[ "$arg" == "-h" || "$arg" == "--help" ]]; then
    sed -n '2,8p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
    exit 0
  fi
done
args=("$@")
has_master=0
for ((i = 0; i < ${#args[@]}; i++)); do [[ "${args[$i]}" == "--master" ]] && has_master=1; done
((has_master)) || args+=(--master "local[2]")

needs_build() {
  [[ ! -f "$jar" || ! -f "$classpath" || ! -f "$stamp" ]] && return 0
  [[ -n "$(find "$here" \( -path "$here/.git" -o -name target \) -prune -o \( -name '*.java' -o -name 'pom.xml' \) -newer "$stamp" -print -quit)" ]]
}
if needs_build; then
  echo "spark-score: building ugmm-spark and listing Spark's jars (first use or sources changed)..." >&2
  log="$(mktemp)"
  # compile scope includes Spark (provided): this JVM is the Spark driver and executor
  if ! (cd "$here" && mvn -q -B -DskipTests -pl ugmm-spark -am package dependency:build-classpath \
        -Dmdep.outputFile=target/classpath.txt -Dmdep.includeScope=compile) >"$log" 2>&1; then
    cat "$log" >&2
    rm -f "$log"
    echo "error: the build failed (output above); run 'mvn -pl ugmm-spark -am package' to see more" >&2
    exit 1
  fi
  rm -f "$log"
  touch "$stamp"
fi

# Spark logs every step at INFO; keep its warnings and errors (JAVA_OPTS=-Dlog4j2.configurationFile=... overrides).
logconf="$here/ugmm-spark/target/spark-score-log4j2.properties"
cat >"$logconf" <<'LOG'
rootLogger.level = warn
rootLogger.appenderRef.stderr.ref = stderr
appender.stderr.type = Console
appender.stderr.name = stderr
appender.stderr.target = SYSTEM_ERR
appender.stderr.layout.type = PatternLayout
appender.stderr.layout.pattern = %d{HH:mm:ss} %p %c{1}: %m%n
logger.native.name = org.apache.hadoop.util.NativeCodeLoader
logger.native.level = error
logger.plan.name = org.apache.spark.util.SparkStringUtils
logger.plan.level = error
LOG

# What Spark needs on JDK 17+, and the Vector API for the fast kernels (without it the scalar kernel runs).
exec "$java" --add-modules jdk.incubator.vector \
  --add-opens=java.base/java.lang=ALL-UNNAMED --add-opens=java.base/java.lang.invoke=ALL-UNNAMED --add-opens=java.base/java.io=ALL-UNNAMED \
  --add-opens=java.base/java.nio=ALL-UNNAMED --add-opens=java.base/sun.nio.ch=ALL-UNNAMED \
  --add-opens=java.base/java.util=ALL-UNNAMED --add-opens=java.base/sun.util.calendar=ALL-UNNAMED \
  -Djdk.reflect.useDirectMethodHandle=false "-Dlog4j2.configurationFile=$logconf" ${JAVA_OPTS:-} \
  -cp "$jar:$(cat "$classpath")" io.ugmm.spark.SparkScore "${args[@]}"
