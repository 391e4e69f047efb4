#!/bin/bash
# Healthy when every instance's control port answers and reports bootstrap 100%.
set -u
instances="${TOR_INSTANCES:-1}"
for ((i = 0; i < instances; i++)); do
  exec 3<>"/dev/tcp/127.0.0.1/$((9051 + 2 * i))" || exit 1
  printf 'AUTHENTICATE "%s"\r\nGETINFO status/bootstrap-phase\r\nQUIT\r\n' "$NPSWATCH_TOR_CONTROL_PASSWORD" >&3
  grep -q "PROGRESS=100" <&3 || exit 1
  exec 3>&-
done
