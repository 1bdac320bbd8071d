#!/usr/bin/env bash
# Stop the node that start.sh started with this STATE_DIR, and delete its data.
#
#   scripts/opensearch/stop.sh STATE_DIR
set -uo pipefail
state="${1:?usage: stop.sh STATE_DIR}"
if [[ -f "$state/pid" ]]; then
    pid="$(cat "$state/pid")"
    if kill "$pid" 2>/dev/null; then
        for _ in $(seq 60); do kill -0 "$pid" 2>/dev/null || break; sleep 0.5; done
        kill -9 "$pid" 2>/dev/null || true
    fi
fi
# Only a directory start.sh made: it holds the pid file and the node's folders.
if [[ -f "$state/pid" ]]; then
    rm -rf "$state"
fi
