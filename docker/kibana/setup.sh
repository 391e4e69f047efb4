#!/bin/sh
# One-shot set-up for docker compose (curl image).  Two steps, chosen by the first argument:
#   password   once Elasticsearch answers: give the built-in kibana_system user its password (Kibana logs in with
#              it) and create the role npswatch_writer (indices npswatch-*) and the user npswatch the crawler uses;
#   dashboards import saved_objects.ndjson (data views, visualizations, dashboard) into Kibana, once Kibana answers.
# Secrets come from the environment only: ELASTIC_PASSWORD, KIBANA_PASSWORD, NPSWATCH_ES_PASSWORD.
set -eu
: "${ELASTIC_PASSWORD:?set ELASTIC_PASSWORD}"
es="${ES_URL:-http://elasticsearch:9200}"
kibana="${KIBANA_URL:-http://kibana:5601}"
tries=120

wait_for() {  # $1: what, $2..: curl arguments; retries every 5 s
  what=$1; shift; n=0
  until curl -fsS -o /dev/null "$@"; do
    n=$((n + 1)); [ "$n" -lt "$tries" ] || { echo "setup: $what did not answer" >&2; exit 1; }
    sleep 5
  done
}

case "${1:-}" in
  password)
    : "${KIBANA_PASSWORD:?set KIBANA_PASSWORD}"
    wait_for "Elasticsearch at $es" -u "elastic:$ELASTIC_PASSWORD" "$es/_cluster/health?wait_for_status=yellow&timeout=5s"
    curl -fsS -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' \
      -X POST "$es/_security/user/kibana_system/_password" -d "{\"password\":\"$KIBANA_PASSWORD\"}" >/dev/null
    echo "setup: kibana_system password set"
    : "${NPSWATCH_ES_PASSWORD:?set NPSWATCH_ES_PASSWORD}"
    curl -fsS -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' \
      -X PUT "$es/_security/role/npswatch_writer" -d '{"cluster": ["monitor", "manage_index_templates"],
        "indices": [{"names": ["npswatch-*"], "privileges": ["read", "write", "create_index", "manage",
        "view_index_metadata"]}]}' >/dev/null
    curl -fsS -u "elastic:$ELASTIC_PASSWORD" -H 'Content-Type: application/json' \
      -X PUT "$es/_security/user/npswatch" \
      -d "{\"password\":\"$NPSWATCH_ES_PASSWORD\",\"roles\":[\"npswatch_writer\"]}" >/dev/null
    echo "setup: role npswatch_writer and user npswatch in place"
    ;;
  dashboards)
    wait_for "Kibana at $kibana" -u "elastic:$ELASTIC_PASSWORD" "$kibana/api/status"
    curl -fsS -u "elastic:$ELASTIC_PASSWORD" -H 'kbn-xsrf: npswatch' \
      -X POST "$kibana/api/saved_objects/_import?overwrite=true" -F "file=@/kibana/saved_objects.ndjson"
    echo
    echo "setup: dashboards imported"
    ;;
  *)
    echo "usage: setup.sh password|dashboards" >&2; exit 2
    ;;
esac
