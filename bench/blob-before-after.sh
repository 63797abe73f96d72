#!/usr/bin/env bash
# Blob artifact transfer before and after the move to the Azure SDK, in one run, against one Azurite:
#
#   bench/blob-before-after.sh [GB [ROUNDS]]   # default 2 GB, 2 rounds; $STRATA_BENCH_BASE (default 9cb4078) is "before"
#
# Builds strata-bench twice, in Release: at the base commit (in a temporary `git worktree` under
# /tmp, removed afterwards) and at HEAD. Both builds measure with HEAD's harness
# (bench/Strata.Bench/BlobBench.cs, copied into the base tree), each through its own store
# (BlobBenchStore.cs: the base commit's hand-written REST client, HEAD's SDK-based store). Then it
# starts one Azurite (.tools/azurite, or $STRATA_AZURITE) on free loopback ports with its data on
# disk, warms it up, runs before and after one after the other (alternating over the rounds), and
# prints one table with both rows and the ratio.
set -euo pipefail

gb="${1:-2}"
rounds="${2:-2}"
base="${STRATA_BENCH_BASE:-9cb4078}"
repo="$(cd "$(dirname "$0")/.." && pwd)"
azurite="${STRATA_AZURITE:-$repo/.tools/azurite/node_modules/.bin/azurite}"
work="$(mktemp -d /tmp/strata-blob-bench.XXXXXX)"
azurite_pid=""

cleanup() {
  [ -n "$azurite_pid" ] && kill "$azurite_pid" 2>/dev/null && wait "$azurite_pid" 2>/dev/null || true
  git -C "$repo" worktree remove --force "$work/before" 2>/dev/null || true
  rm -rf "$work"
}
trap cleanup EXIT

export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1
head_commit="$(git -C "$repo" rev-parse --short HEAD)"
base_commit="$(git -C "$repo" rev-parse --short "$base")"

echo "building before ($base_commit) and after ($head_commit)..." >&2
git -C "$repo" worktree add --quiet --detach "$work/before" "$base"
cp "$repo/bench/Strata.Bench/BlobBench.cs" "$work/before/bench/Strata.Bench/BlobBench.cs"
cat > "$work/before/bench/Strata.Bench/BlobBenchStore.cs" <<'CS'
using Strata.Adapters.Azure;
using Strata.Adapters.Azure.Blob;
using Strata.Core.Ports;

/// <summary>The store <see cref="BlobBench"/> measures: the base commit's, on Strata's own REST client.</summary>
internal static class BlobBenchStore
{
    public static IArtifactStore Open(string connectionString, string container)
    {
        var account = StorageConnectionString.Parse(connectionString);
        return new BlobArtifactStore(account.Blob, container, new StorageAuthentication.Key(account.SharedKey()));
    }
}
CS
dotnet build -c Release -m:1 -v quiet -nologo "$work/before/bench/Strata.Bench" -o "$work/before-bin" >"$work/build-before.log" 2>&1 \
  || { cat "$work/build-before.log"; exit 1; }
dotnet build -c Release -m:1 -v quiet -nologo "$repo/bench/Strata.Bench" -o "$work/after-bin" >"$work/build-after.log" 2>&1 \
  || { cat "$work/build-after.log"; exit 1; }

free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'; }
blob_port="$(free_port)"; queue_port="$(free_port)"; table_port="$(free_port)"
mkdir -p "$work/azurite"
"$azurite" --blobHost 127.0.0.1 --blobPort "$blob_port" --queueHost 127.0.0.1 --queuePort "$queue_port" \
  --tableHost 127.0.0.1 --tablePort "$table_port" --location "$work/azurite" --silent --disableTelemetry >"$work/azurite.log" 2>&1 &
azurite_pid=$!
for _ in $(seq 1 300); do
  (exec 3<>"/dev/tcp/127.0.0.1/$blob_port") 2>/dev/null && break
  sleep 0.1
done
azurite_version="$("$azurite" --version 2>/dev/null || echo '?')"

key='Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw=='
export STRATA_BENCH_STORAGE="DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=$key;BlobEndpoint=http://127.0.0.1:$blob_port/devstoreaccount1;TableEndpoint=http://127.0.0.1:$table_port/devstoreaccount1"

run() { # bin, container, size in GB, floor
  STRATA_BENCH_CONTAINER="$2" STRATA_BENCH_FLOOR="$4" dotnet "$work/$1/strata-bench.dll" --blob-gb "$3" 2>"$work/$2.log" >"$work/$2.out" \
    || { cat "$work/$2.log" >&2; exit 1; }
  grep '^RESULT ' "$work/$2.log" | tail -n 1
}
field() { echo "$1" | tr ' ' '\n' | sed -n "s/^$2=//p"; }
mean() { python3 -c 'import sys; d=int(sys.argv[1]); v=[float(x) for x in sys.argv[2:]]; print(f"{sum(v)/len(v):.{d}f}")' "$@"; }
ratio() { python3 -c "print(f'{$2 / $1:.2f}×')"; }

echo "warming Azurite up (64 MB)..." >&2
run after-bin warmup 0.064 0 >/dev/null

# Before and after alternate (before, after, after, before, …) so that neither always runs on the
# fresher Azurite; each row is the mean of its runs, every run listed below the table.
declare -A results
order=()
for ((round = 1; round <= rounds; round++)); do
  if ((round % 2)); then order+=(before after); else order+=(after before); fi
done
floor=""
for i in "${!order[@]}"; do
  side="${order[$i]}"
  echo "$side, run $((i / 2 + 1)) of $rounds: $gb GB..." >&2
  measure_floor=0
  [ -z "$floor" ] && [ "$side" = after ] && measure_floor=1
  result="$(run "$side-bin" "$side$i" "$gb" "$measure_floor")"
  results[$side]+="$result;"
  if [ "$measure_floor" = 1 ]; then
    floor="$(grep -o '[0-9]* MB/s | identical' "$work/$side$i.out" | grep -o '^[0-9]*' || echo '?')"
  fi
done

column() { # side, field, [decimals]
  local values=()
  IFS=';' read -ra runs <<<"${results[$1]}"
  for r in "${runs[@]}"; do [ -n "$r" ] && values+=("$(field "$r" "$2")"); done
  mean "${3:-0}" "${values[@]}"
}
listing() { # side, field
  IFS=';' read -ra runs <<<"${results[$1]}"
  for r in "${runs[@]}"; do [ -n "$r" ] && printf '%s ' "$(field "$r" "$2")"; done
}

echo
echo "Azurite $azurite_version on loopback, data on disk; $(nproc) cores, shared with other builds; $(date -u +%Y-%m-%d); mean of $rounds runs each"
echo
echo "| build | artifact | upload | upload CPU | upload peak RSS | download | download CPU | download peak RSS |"
echo "|---|---:|---:|---:|---:|---:|---:|---:|"
for side in before after; do
  label="before ($base_commit, own REST client)"
  [ "$side" = after ] && label="after ($head_commit, Azure SDK)"
  printf '| %s | %s GB | %s MB/s | %s s | %s MiB | %s MB/s | %s s | %s MiB |\n' "$label" "$gb" \
    "$(column $side upload_mbps)" "$(column $side upload_cpu_s 1)" "$(column $side upload_peak_mib)" \
    "$(column $side download_mbps)" "$(column $side download_cpu_s 1)" "$(column $side download_peak_mib)"
done
printf '| after ÷ before | | %s | %s | %s | %s | %s | %s |\n' \
  "$(ratio "$(column before upload_mbps)" "$(column after upload_mbps)")" \
  "$(ratio "$(column before upload_cpu_s 1)" "$(column after upload_cpu_s 1)")" \
  "$(ratio "$(column before upload_peak_mib)" "$(column after upload_peak_mib)")" \
  "$(ratio "$(column before download_mbps)" "$(column after download_mbps)")" \
  "$(ratio "$(column before download_cpu_s 1)" "$(column after download_cpu_s 1)")" \
  "$(ratio "$(column before download_peak_mib)" "$(column after download_peak_mib)")"
echo
echo "runs, in MB/s up / down: before $(listing before upload_mbps)/ $(listing before download_mbps); after $(listing after upload_mbps)/ $(listing after download_mbps)"
echo "CPU is the bench process's own (user + system) per phase: what the client costs, whatever else the machine runs."
echo "cp of a $gb GB file on the same disk (the floor for Azurite's writes): $floor MB/s"
