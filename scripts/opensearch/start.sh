#!/usr/bin/env bash
# Start one OpenSearch node on loopback for Zeitung's tests and print its URL when it is up.
#
#   scripts/opensearch/start.sh [STATE_DIR]
#
# The jars come from Maven Central (pom.xml, `mvn dependency:copy-dependencies`) into
# $ZEITUNG_OPENSEARCH_CACHE (default ~/.cache/zeitung/opensearch), fetched once per machine;
# the launcher ZeitungNode.java is compiled there too. The node keeps its data, log, pid and
# URL in STATE_DIR (default: a new temp dir); stop.sh STATE_DIR stops it and deletes them.
#
# Environment: ZEITUNG_OPENSEARCH_HTTP_PORT / _TRANSPORT_PORT (default: free ports),
# ZEITUNG_OPENSEARCH_NODE_NAME, ZEITUNG_OPENSEARCH_HEAP (512m), ZEITUNG_OPENSEARCH_WAIT (s,
# 180), ZEITUNG_OPENSEARCH_SETTINGS ("key=value ..." added or replacing the defaults; a
# cluster node passes discovery.type= plus seed hosts). Binds 127.0.0.1 only.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
cache="${ZEITUNG_OPENSEARCH_CACHE:-$HOME/.cache/zeitung/opensearch}"
state="${1:-$(mktemp -d "${TMPDIR:-/tmp}/zeitung-opensearch.XXXXXX")}"
mkdir -p "$cache" "$state"

command -v java >/dev/null || { echo "start.sh: java not found (OpenSearch needs Java 17)" >&2; exit 3; }
command -v javac >/dev/null || { echo "start.sh: javac not found (a JDK 17 is needed)" >&2; exit 3; }

# Jars: fetched again only when pom.xml changed.
pom_sum="$(sha1sum "$here/pom.xml" | cut -d' ' -f1)"
if [[ ! -f "$cache/lib.sha1" || "$(cat "$cache/lib.sha1")" != "$pom_sum" ]]; then
    command -v mvn >/dev/null || { echo "start.sh: mvn not found (needed once to fetch the jars)" >&2; exit 3; }
    echo "start.sh: fetching OpenSearch jars into $cache/lib" >&2
    rm -rf "$cache/lib"
    mvn -q -B -f "$here/pom.xml" dependency:copy-dependencies \
        -DoutputDirectory="$cache/lib" -DincludeScope=runtime >&2
    echo "$pom_sum" > "$cache/lib.sha1"
fi
src_sum="$(cat "$here/ZeitungNode.java" "$cache/lib.sha1" | sha1sum | cut -d' ' -f1)"
if [[ ! -f "$cache/classes.sha1" || "$(cat "$cache/classes.sha1")" != "$src_sum" ]]; then
    rm -rf "$cache/classes" && mkdir -p "$cache/classes"
    javac -d "$cache/classes" -cp "$cache/lib/*" "$here/ZeitungNode.java" >&2
    echo "$src_sum" > "$cache/classes.sha1"
fi

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'; }
http_port="${ZEITUNG_OPENSEARCH_HTTP_PORT:-$(free_port)}"
transport_port="${ZEITUNG_OPENSEARCH_TRANSPORT_PORT:-$(free_port)}"
name="${ZEITUNG_OPENSEARCH_NODE_NAME:-zeitung-node}"

declare -A settings=(
    [cluster.name]="zeitung-test"
    [node.name]="$name"
    [network.host]="127.0.0.1"
    [http.port]="$http_port"
    [transport.port]="$transport_port"
    [discovery.type]="single-node"
    [path.home]="$state/home"
    [path.data]="$state/data"
    [path.logs]="$state/logs"
    # Tests fill a small disk: do not stop allocating shards at 85 % disk use.
    [cluster.routing.allocation.disk.threshold_enabled]="false"
    [action.auto_create_index]="false"
)
for kv in ${ZEITUNG_OPENSEARCH_SETTINGS:-}; do
    settings[${kv%%=*}]="${kv#*=}"
done
props=()
for key in "${!settings[@]}"; do
    [[ -n "${settings[$key]}" ]] && props+=("-Dos.$key=${settings[$key]}")
done

heap="${ZEITUNG_OPENSEARCH_HEAP:-512m}"
nohup java "-Xms$heap" "-Xmx$heap" -XX:+UseSerialGC -Djava.awt.headless=true \
    -Dlog4j2.disable.jmx=true -cp "$cache/classes:$cache/lib/*" "${props[@]}" ZeitungNode \
    > "$state/node.log" 2>&1 < /dev/null &
pid=$!
echo "$pid" > "$state/pid"
url="http://127.0.0.1:$http_port"
echo "$url" > "$state/url"

deadline=$(( SECONDS + ${ZEITUNG_OPENSEARCH_WAIT:-180} ))
until curl -fsS "$url/_cluster/health?wait_for_status=yellow&timeout=1s" >/dev/null 2>&1; do
    if ! kill -0 "$pid" 2>/dev/null; then
        echo "start.sh: the node exited; its log ($state/node.log) ends:" >&2
        tail -n 20 "$state/node.log" >&2
        exit 1
    fi
    if (( SECONDS > deadline )); then
        echo "start.sh: no healthy node at $url after ${ZEITUNG_OPENSEARCH_WAIT:-180} s" >&2
        kill "$pid" 2>/dev/null || true
        exit 1
    fi
    sleep 0.5
done
echo "$url"
