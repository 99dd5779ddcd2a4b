#!/usr/bin/env bash
# Requests per second and DynamoDB calls per request for the demo's /counter (a write on every request) and /read
# (read-only, within the renewal threshold) on the cookie store and on the DynamoDB store against dynalite.
#   bash bench/stores/run.sh            # 10 s per measurement
#   DURATION=30s bash bench/stores/run.sh
# Needs: the .NET SDK, Node.js, `npm ci` done at the repository root, and wrk (Debian: apt-get install -y wrk).
set -euo pipefail
cd "$(dirname "$0")/../.."

duration="${DURATION:-10s}"
threads="${THREADS:-2}"
connections="${CONNECTIONS:-16}"
sessions="${SESSIONS:-64}"
warmup="${WARMUP:-3s}"
calls_sample="${CALLS_SAMPLE:-200}"
key="bench-only-key-0123456789-0123456789-0123456789"
table="sessions"
work="$(mktemp -d)"
pids=()

cleanup() {
  for pid in "${pids[@]}"; do kill "$pid" 2>/dev/null || true; done
  wait 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

for tool in wrk node curl dotnet; do
  command -v "$tool" >/dev/null || { echo "$tool is missing (wrk: apt-get install -y wrk)" >&2; exit 1; }
done
[ -d node_modules/dynalite ] || { echo "dynalite is missing: run npm ci at the repository root" >&2; exit 1; }

free_port() { node -e "const s=require('net').createServer().listen(0,'127.0.0.1',()=>{console.log(s.address().port);s.close()})"; }

wait_for() { # url
  for _ in $(seq 1 100); do curl -s -o /dev/null "$1" && return 0; sleep 0.2; done
  echo "nothing answers at $1" >&2; exit 1
}

dotnet build samples/LoginDemo -c Release -v quiet -nologo >/dev/null
demo_dll="samples/LoginDemo/bin/Release/net10.0/LoginDemo.dll"

dynamo_port="$(free_port)"; stats_port="$(free_port)"
node bench/stores/counting-dynalite.cjs "$dynamo_port" "$stats_port" "$table" >"$work/dynalite.log" 2>&1 &
pids+=("$!")
wait_for "http://127.0.0.1:$stats_port/"

# One measurement: requests/s from wrk, then store calls per request from a sequential pass of $calls_sample requests
# (sequential, so no request is still in flight when the calls are counted).
measure() { # store base-url path
  local store="$1" base="$2" path="$3"
  wrk -t"$threads" -c"$connections" -d"$warmup" -s bench/stores/sessions.lua "$base$path" -- "$work/cookies-$store" "$threads" >/dev/null
  local result
  result="$(wrk -t"$threads" -c"$connections" -d"$duration" -s bench/stores/sessions.lua "$base$path" -- "$work/cookies-$store" "$threads" | grep '^RESULT')"
  curl -s -X POST "http://127.0.0.1:$stats_port/" >/dev/null
  local sent=0
  while [ "$sent" -lt "$calls_sample" ]; do
    while read -r cookie && [ "$sent" -lt "$calls_sample" ]; do
      curl -s -o /dev/null -H "Cookie: session=$cookie" "$base$path"
      sent=$((sent + 1))
    done <"$work/cookies-$store"
  done
  local counts; counts="$(curl -s "http://127.0.0.1:$stats_port/")"
  node -e '
    const r = Object.fromEntries(process.argv[1].split(" ").slice(1).map(p => p.split("=")));
    const counts = JSON.parse(process.argv[2]);
    const [store, path, sample] = [process.argv[3], process.argv[4], Number(process.argv[5])];
    const per = (op) => +((counts[op] || 0) / sample).toFixed(2);
    const calls = Object.values(counts).reduce((a, b) => a + b, 0) / sample;
    const detail = ["GetItem", "PutItem", "DeleteItem"].filter(op => counts[op]).map(op => `${per(op)} ${op}`).join(" + ");
    console.log(`| ${store} | ${path} | ${(Number(r.requests) / Number(r.seconds)).toFixed(0)} | ${r.p50_ms} | ${r.p99_ms} | ${r.failed} | ${+calls.toFixed(2)}${detail ? ` (${detail})` : ""} |`);
  ' "$result" "$counts" "$store" "$path" "$calls_sample"
}

echo "| Store | Route | Requests/s | p50 ms | p99 ms | Failed | Store calls per request |"
echo "|---|---|---:|---:|---:|---:|---|"
for store in cookie dynamodb; do
  app_port="$(free_port)"
  ASPNETCORE_ENVIRONMENT=Production AWS_ACCESS_KEY_ID=bench AWS_SECRET_ACCESS_KEY=bench AWS_EC2_METADATA_DISABLED=true \
    dotnet "$demo_dll" --urls "http://127.0.0.1:$app_port" --Logging:LogLevel:Default=Warning \
      --Sessions:Store="$store" --Sessions:EncryptionKey="$key" --Sessions:ExpireAfterSeconds=3600 \
      --Sessions:DynamoDb:TableName="$table" --Sessions:DynamoDb:ServiceUrl="http://127.0.0.1:$dynamo_port" \
      >"$work/demo-$store.log" 2>&1 &
  app_pid="$!"; pids+=("$app_pid")
  wait_for "http://127.0.0.1:$app_port/read"
  : >"$work/cookies-$store"
  for _ in $(seq 1 "$sessions"); do
    curl -s -D - -o /dev/null "http://127.0.0.1:$app_port/counter" | tr -d '\r' | sed -n 's/^[Ss]et-[Cc]ookie: session=\([^;]*\).*/\1/p' >>"$work/cookies-$store"
  done
  [ "$(grep -c . "$work/cookies-$store")" -eq "$sessions" ] || { echo "could not create $sessions sessions on the $store store" >&2; cat "$work/demo-$store.log" >&2; exit 1; }
  measure "$store" "http://127.0.0.1:$app_port" /counter
  measure "$store" "http://127.0.0.1:$app_port" /read
  kill "$app_pid"; wait "$app_pid" 2>/dev/null || true
done
echo
echo "wrk -t$threads -c$connections -d$duration (after a $warmup warm-up) over $sessions sessions; store calls counted by dynalite over $calls_sample sequential requests; $(nproc) cores; dynalite $(node -p "require('./node_modules/dynalite/package.json').version") is a local emulator on LevelDB in memory, not DynamoDB."
