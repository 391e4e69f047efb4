#!/bin/bash
# Start TOR_INSTANCES Tor clients: instance i has SOCKS 9050+2i, control 9051+2i, data $TOR_DATA_ROOT/i.
# SOCKS flags: IsolateSOCKSAuth (one circuit set per source), OnionTrafficOnly (npswatch only crawls onions:
# clear-web destinations are refused by Tor too).  Exits, stopping the others, as soon as one instance exits.
set -euo pipefail
: "${NPSWATCH_TOR_CONTROL_PASSWORD:?set NPSWATCH_TOR_CONTROL_PASSWORD (the control port password; no default)}"
instances="${TOR_INSTANCES:-1}"
data_root="${TOR_DATA_ROOT:-/var/lib/tor}"
torrc="${TORRC:-/etc/tor/torrc.npswatch}"
listen="${TOR_LISTEN:-0.0.0.0}"
hashed=$(tor --quiet --hash-password "$NPSWATCH_TOR_CONTROL_PASSWORD" | tail -n 1)
for ((i = 0; i < instances; i++)); do
  data="$data_root/$i"
  mkdir -p "$data" && chmod 700 "$data"
  tor -f "$torrc" --DataDirectory "$data" \
      --SocksPort "$listen:$((9050 + 2 * i)) IsolateSOCKSAuth OnionTrafficOnly" \
      --ControlPort "$listen:$((9051 + 2 * i))" --HashedControlPassword "$hashed" --CookieAuthentication 0 &
done
trap 'kill $(jobs -p) 2>/dev/null || true; wait' TERM INT
wait -n
status=$?
kill $(jobs -p) 2>/dev/null || true
exit "$status"
