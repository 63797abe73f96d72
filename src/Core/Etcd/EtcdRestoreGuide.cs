using System.Globalization;
using System.Text;
using Strata.Core.Artifacts;

namespace Strata.Core.Etcd;

/// <summary>
/// The restore guide of an etcd snapshot (<c>strata restore create --etcd</c>): a script the operator runs on each
/// control-plane node of a kubeadm cluster, generated from the members the backup recorded — check first that the node
/// can finish (restore tool, the snapshot's SHA-256, an editable etcd.yaml), stop the API server, controller manager,
/// scheduler and etcd everywhere, point the etcd-data hostPath of etcd's static-pod manifest at a new directory (one
/// line, checked), restore the same snapshot there once per member (its name and peer URLs, the whole membership, a new
/// cluster token, the revision bumped and compacted), start again, check — and a README that says what the snapshot is
/// and how to get the tool. Strata touches no cluster here: people run the script, after reading it.
/// </summary>
public static class EtcdRestoreGuide
{
    /// <summary>The script's file name.</summary>
    public const string ScriptName = "restore-etcd.sh";

    /// <summary>The summary's file name.</summary>
    public const string ReadmeName = "README.md";

    /// <summary>The snapshot's file name beside them.</summary>
    public const string SnapshotName = "snapshot.db";

    /// <summary>Where each member's data is restored to (a new directory: the old one is never written over).</summary>
    public const string DefaultDataDirectory = "/var/lib/etcd-from-backup";

    /// <summary>The folder the guide goes to when none is given.</summary>
    public static string DefaultFolder(string backupId) => $"etcd-restore-{backupId}";

    /// <summary>The restored cluster's token: new, so its members never join what is left of the old cluster.</summary>
    public static string ClusterToken(string backupId, DateTimeOffset generatedAt) =>
        $"strata-{backupId}-{generatedAt.UtcDateTime.ToString("yyyyMMddHHmmss", CultureInfo.InvariantCulture)}";

    /// <summary>The members a restore recreates: voting members with a name and peer URLs (a learner is added back afterwards).</summary>
    public static IReadOnlyList<EtcdMemberRecord> Restored(EtcdSnapshotRecord snapshot) =>
        [.. snapshot.Members.Where(m => !m.IsLearner && m.Name.Length > 0 && m.PeerUrls.Count > 0)];

    /// <summary>How much a restore raises etcd's revision (<c>--bump-revision</c>): etcd's recovery guide covers a week-old snapshot
    /// with 1,000,000,000, assuming fewer than 1,500 writes a second.</summary>
    public const long BumpRevision = 1_000_000_000;

    /// <summary>The script (<see cref="ScriptName"/>) for <paramref name="manifest"/>'s snapshot; the manifest must hold one.</summary>
    public static string Script(BackupManifest manifest, DateTimeOffset generatedAt)
    {
        var snapshot = manifest.Etcd?.Snapshot ?? throw new ArgumentException($"backup {manifest.BackupId} has no etcd snapshot", nameof(manifest));
        var members = Restored(snapshot);
        var left = snapshot.Members.Except(members).ToList();
        var clientUrls = snapshot.Members.Where(m => !m.IsLearner).SelectMany(m => m.ClientUrls).Distinct(StringComparer.Ordinal).ToList();
        var tls = clientUrls.Count == 0 || clientUrls.Any(u => u.StartsWith("https:", StringComparison.OrdinalIgnoreCase));
        var names = members.Count == 0 ? "(none recorded)" : string.Join(" ", members.Select(m => Comment(m.Name)));
        var s = new StringBuilder();
        void Line(string text = "") => s.Append(text).Append('\n');
        void Block(string text) => s.Append(text.ReplaceLineEndings("\n")).Append('\n');

        Line("#!/usr/bin/env bash");
        Line($"# Restores the etcd of cluster {Comment(manifest.Cluster)} from backup {manifest.BackupId} (policy {Comment(manifest.Policy)}).");
        Line($"# Written by {manifest.Tool.Name} restore create --etcd at {generatedAt.UtcDateTime:u}; read it before you run it.");
        Line("#");
        Line($"# {SnapshotName}, beside this script, was read from member {Comment(snapshot.MemberName ?? snapshot.MemberId)} ({snapshot.MemberId}) at");
        Line($"# {Comment(snapshot.Endpoint)} at revision {snapshot.Revision}, raft index {snapshot.RaftIndex} (etcd {Comment(snapshot.EtcdVersion)}),");
        Line($"# {snapshot.StartedAt.UtcDateTime:u}. Its SHA-256 is checked before anything changes.");
        Line("#");
        Line("# A restore makes a NEW etcd cluster from the snapshot: every member is restored from this same file, with its");
        Line("# own name and peer URLs as they were at backup time, the whole membership in --initial-cluster, and a new");
        Line("# cluster token, so the restored members never talk to what is left of the old cluster. Each member's data goes");
        Line("# to a new host directory (DATA_DIR); the old one is left as it is.");
        Line("#");
        Line("# Run it as root on the control-plane nodes (kubeadm: static pods in /etc/kubernetes/manifests), in three passes:");
        var steps = new (string Command, string[] What)[]
        {
            ($"1. ./{ScriptName} stop", [
                "on EVERY control-plane node: checks that the node can restore (the restore",
                "tool on PATH, the snapshot's SHA-256, an etcd.yaml it can edit), then moves",
                "the manifests of the API server, controller manager, scheduler and etcd out",
                "of the manifests folder, so the kubelet stops them and no write lands in the",
                "old cluster while it is replaced;"]),
            ($"2. ./{ScriptName} restore MEMBER", [
                "on each node, naming that node's member: the same checks, then points the",
                "etcd-data volume of etcd.yaml at DATA_DIR, restores the snapshot into it,",
                "and moves the manifests back;"]),
            ($"3. ./{ScriptName} check", ["once every member is restored: etcdctl endpoint health and member list."]),
        };
        var width = steps.Max(step => step.Command.Length) + 2;
        foreach (var (command, what) in steps)
        {
            for (var i = 0; i < what.Length; i++)
            {
                Line($"#   {(i == 0 ? command : "").PadRight(width)}{what[i]}");
            }
        }

        Line("# Then restart the kubelet on EVERY node, workers too: it still holds what it read before the restore.");
        Line("#");
        Line("# Members restored (name: peer URLs):");
        foreach (var member in members)
        {
            Line($"#   {Comment(member.Name)}: {Comment(string.Join(", ", member.PeerUrls))}");
        }

        if (members.Count == 0)
        {
            Line("#   none: the backup recorded no member with a name and peer URLs; fill INITIAL_CLUSTER and peer_urls by hand.");
        }

        foreach (var member in left)
        {
            Line($"# Left out: {Comment(member.Name.Length == 0 ? member.Id : member.Name)} ({(member.IsLearner ? "a learner: add it back with 'etcdctl member add --learner' once the cluster runs" : "a member added but never started")}).");
        }

        Line("#");
        Line("# The restore tool: kubeadm nodes usually have neither etcdutl nor etcdctl on the host; README.md says how to get");
        Line("# one. etcd 3.4 has no etcdutl: set RESTORE_TOOL=etcdctl, and the script runs");
        Line("# 'ETCDCTL_API=3 etcdctl snapshot restore' with the same flags (etcdctl 3.5 can too; 3.6 cannot).");
        Line();
        Line("set -euo pipefail");
        Line();
        Line("# ---- Edit here. Nothing is changed until CONFIRM is yes. ----");
        Line(Commented("CONFIRM=no", "yes, once you have read this script and checked the values below"));
        Line(Commented($"DATA_DIR={Quote(DefaultDataDirectory)}", "a new host directory for the member's restored data (the old one stays)"));
        Line(Commented($"CLUSTER_TOKEN={Quote(ClusterToken(manifest.BackupId, generatedAt))}", "new: the restored members form a cluster of their own"));
        Line(Commented("RESTORE_TOOL=etcdutl", "etcdctl on etcd 3.4 (or 3.5)"));
        Line(Commented($"BUMP_REVISION={BumpRevision.ToString(CultureInfo.InvariantCulture)}", "the same on every node; 0 only with a tool that lacks --bump-revision"));
        Line("MANIFESTS=/etc/kubernetes/manifests");
        Line("PARKED=/etc/kubernetes/manifests-stopped-by-strata");
        Line(Commented("PKI=/etc/kubernetes/pki/etcd", "the CA and healthcheck client certificate for 'check'"));
        Line("# ----");
        Line();
        Line("HERE=\"$(cd \"$(dirname \"${BASH_SOURCE[0]}\")\" && pwd)\"");
        Line($"SNAPSHOT=\"$HERE/{SnapshotName}\"");
        Line($"SNAPSHOT_SHA256={Quote(snapshot.Sha256)}");
        Line($"INITIAL_CLUSTER={Quote(string.Join(",", members.SelectMany(m => m.PeerUrls.Select(u => $"{m.Name}={u}"))))}");
        Line($"ENDPOINTS={Quote(string.Join(",", clientUrls))}");
        Line();
        Line("peer_urls() {");
        Line("  case \"$1\" in");
        foreach (var member in members)
        {
            Line($"    {Quote(member.Name)}) echo {Quote(string.Join(",", member.PeerUrls))} ;;");
        }

        Line("    *) return 1 ;;");
        Line("  esac");
        Line("}");
        Line();
        Line("usage() {");
        Line($"  echo \"usage: $0 stop | restore MEMBER | check    (members: {names.Replace("\"", "", StringComparison.Ordinal).Replace("$", "", StringComparison.Ordinal).Replace("`", "", StringComparison.Ordinal)})\" >&2");
        Line("  exit 2");
        Line("}");
        Line();
        Block(Passes);
        Line();
        Line("check() {");
        Line("  if ! command -v etcdctl >/dev/null 2>&1; then");
        Line("    echo \"etcdctl is not on PATH: README.md says how to get it\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("  export ETCDCTL_API=3");
        var flags = tls ? " --cacert \"$PKI/ca.crt\" --cert \"$PKI/healthcheck-client.crt\" --key \"$PKI/healthcheck-client.key\"" : "";
        Line($"  etcdctl --endpoints \"$ENDPOINTS\"{flags} endpoint health");
        Line($"  etcdctl --endpoints \"$ENDPOINTS\"{flags} member list -w table");
        Line("}");
        Line();
        Line("case \"${1:-}\" in");
        Line("  stop) stop ;;");
        Line("  restore) restore \"${2:-}\" ;;");
        Line("  check) check ;;");
        Line("  *) usage ;;");
        Line("esac");
        return s.ToString();
    }

    /// <summary>The part of the script that is the same for every backup: the checks, <c>stop</c> and <c>restore</c>.</summary>
    private const string Passes = """
        confirmed() {
          if [ "$CONFIRM" != yes ]; then
            echo "Refusing to run: read this script, check DATA_DIR and CLUSTER_TOKEN, then set CONFIRM=yes in it." >&2
            exit 1
          fi
        }

        # Where etcd.yaml is: in the manifests folder before 'stop', parked after it.
        etcd_manifest() {
          if [ -f "$PARKED/etcd.yaml" ]; then
            echo "$PARKED/etcd.yaml"
          else
            echo "$MANIFESTS/etcd.yaml"
          fi
        }

        # Prints "LINE PATH": where the hostPath path of the etcd-data volume is in the static-pod manifest $1, and
        # what it says; nothing when there is none. kubeadm writes that volume under 'volumes:' as '- hostPath:',
        # 'path: ...', 'type: ...', 'name: etcd-data'. Only a 'path:' indented under the 'hostPath:' key of the list
        # item named etcd-data, in the pod's volumes, counts (the order of the item's keys does not matter): a probe's
        # 'httpGet: path:' or the etcd-data volumeMount are never taken for it.
        etcd_data_host_path() {
          awk '
            function indent(s) { match(s, /^ */); return RLENGTH }
            function done() { if (named && at) { print at, path; found = 1; exit } }
            /^ *(#.*)?$/ { next }                                   # blank lines and comments
            volumes >= 0 && (indent($0) < volumes || (indent($0) == volumes && !/^ *- /)) { done(); volumes = -1 }
            volumes < 0 { if (/^ *volumes: *$/) { volumes = indent($0); item = -1 } ; next }
            {
              line = $0
              if (line ~ /^ *- / && (item < 0 || indent(line) == item)) {   # a volume begins: stop after etcd-data
                done(); item = indent(line); named = 0; at = 0; host = -1
                sub(/- /, "  ", line)                                     # its first key, where its other keys are
              }
              if (item < 0) next
              key = indent(line)
              if (host >= 0 && key <= host) host = -1                       # past the hostPath mapping
              if (key == item + 2 && line ~ /^ *name: *"?etcd-data"? *$/) named = 1
              if (key == item + 2 && line ~ /^ *hostPath: *$/) host = key
              else if (host >= 0 && key > host && line ~ /^ *path: /) { at = NR; path = line; sub(/^ *path: */, "", path) }
            }
            BEGIN { volumes = -1 }
            END { if (!found) done() }
          ' "$1"
        }

        # Prints the line that line $2 of the YAML file $1 sits under: the nearest line before it indented less (a
        # list item's '- ' counts as indent). The edit's check asks it, apart from the search above.
        parent_line() {
          awk -v n="$2" '
            NR < n { line[NR] = $0; next }
            NR == n {
              match($0, /^ */); own = RLENGTH
              for (i = n - 1; i > 0; i--) {
                if (line[i] ~ /^ *(#.*)?$/) continue
                match(line[i], /^ *(- )*/)
                if (RLENGTH < own) { print line[i]; exit }
              }
              exit
            }
          ' "$1"
        }

        # Every pass that changes something first checks that this node can finish the restore. Stopping the control
        # plane and only then finding the restore tool missing (kubeadm nodes rarely have etcdutl or etcdctl on the
        # host), the snapshot damaged on its way here, or an etcd.yaml this script cannot edit, would leave the
        # cluster down with nothing to bring it back.
        preflight() {
          local tool help manifest
          confirmed
          for tool in "$RESTORE_TOOL" sha256sum awk diff; do
            if ! command -v "$tool" >/dev/null 2>&1; then
              echo "$tool is not on PATH on this node. Nothing was changed." >&2
              if [ "$tool" = "$RESTORE_TOOL" ]; then
                echo "kubeadm nodes usually have no etcdutl or etcdctl on the host. README.md says how to get one (etcdutl from the etcd release of your version, or etcdctl copied out of the etcd image): put it on PATH on every control-plane node, set RESTORE_TOOL in this script, and run it again." >&2
              fi
              exit 1
            fi
          done

          # etcd 3.4's etcdctl restores with the v3 API only when told so; later versions ignore it.
          if [ "$RESTORE_TOOL" = etcdctl ]; then export ETCDCTL_API=3; fi
          # Read the help once into a variable: 'grep -q' at the end of a pipe can make the tool die of SIGPIPE,
          # which pipefail would count as a failure.
          help="$("$RESTORE_TOOL" snapshot restore --help 2>&1 || true)"
          if ! grep -q -- --initial-cluster-token <<<"$help"; then
            echo "'$RESTORE_TOOL snapshot restore' does not exist (etcdctl 3.6 and later cannot restore: use etcdutl). Nothing was changed." >&2
            exit 1
          fi
          if [ "$BUMP_REVISION" != 0 ] && ! grep -q -- --bump-revision <<<"$help"; then
            echo "$RESTORE_TOOL has no --bump-revision (etcdutl and etcdctl 3.5.10 and later have it, etcdctl 3.4.27 and later). Nothing was changed." >&2
            echo "Use a newer tool, or set BUMP_REVISION=0 in this script on EVERY node (all members must restore alike) and restart every kubelet after the restore." >&2
            exit 1
          fi

          if ! echo "$SNAPSHOT_SHA256  $SNAPSHOT" | sha256sum --check --status; then
            echo "$SNAPSHOT is missing or does not match the SHA-256 recorded at backup time: do not restore it. Nothing was changed; copy the whole folder to this node again." >&2
            exit 1
          fi

          manifest="$(etcd_manifest)"
          if [ ! -f "$manifest" ]; then
            echo "$manifest is missing: is this a kubeadm control-plane node? Nothing was changed." >&2
            exit 1
          fi
          if [ -z "$(etcd_data_host_path "$manifest")" ]; then
            echo "$manifest has no hostPath volume named etcd-data (as kubeadm writes it), so this script cannot point etcd at the restored data. Nothing was changed: restore by hand (docs/restore.md)." >&2
            exit 1
          fi
        }

        stop() {
          local manifest
          preflight
          if [ ! -f "$MANIFESTS/kube-apiserver.yaml" ] && [ ! -f "$PARKED/kube-apiserver.yaml" ]; then
            echo "$MANIFESTS/kube-apiserver.yaml is missing: is this a kubeadm control-plane node? Nothing was changed." >&2
            exit 1
          fi
          mkdir -p "$PARKED"
          # The API server first, so nothing writes to etcd while it stops; etcd last. The controller manager and the
          # scheduler stop too: started again after the restore, they read the restored state afresh instead of
          # acting on what they cached from the old cluster.
          for manifest in kube-apiserver.yaml kube-controller-manager.yaml kube-scheduler.yaml etcd.yaml; do
            if [ -f "$MANIFESTS/$manifest" ]; then
              mv "$MANIFESTS/$manifest" "$PARKED/$manifest"
              echo "moved $MANIFESTS/$manifest to $PARKED/"
            elif [ ! -f "$PARKED/$manifest" ]; then
              echo "no $manifest on this node: if it runs elsewhere, restart it once the restore is done"
            fi
          done
          if ! command -v pgrep >/dev/null; then
            echo "pgrep is missing: check with 'crictl ps' that etcd and kube-apiserver have stopped before restoring"
            return 0
          fi
          echo "waiting for the kubelet to stop etcd and the API server ..."
          for _ in $(seq 1 60); do
            if ! pgrep -x etcd >/dev/null && ! pgrep -x kube-apiserver >/dev/null; then
              echo "stopped. Run '$0 stop' on every other control-plane node, then '$0 restore MEMBER' on each."
              return 0
            fi
            sleep 2
          done
          echo "etcd or kube-apiserver still runs after 2 minutes: look with 'crictl ps' before restoring" >&2
          exit 1
        }

        restore() {
          local member="$1" peers found at old changes changed problem manifest
          local flags=()
          preflight
          if [ -z "$INITIAL_CLUSTER" ]; then
            echo "the backup recorded no members: fill INITIAL_CLUSTER and peer_urls in this script by hand" >&2
            exit 1
          fi
          peers="$(peer_urls "$member")" || usage
          if [ ! -f "$PARKED/etcd.yaml" ] || [ ! -f "$PARKED/kube-apiserver.yaml" ]; then
            echo "run '$0 stop' first, on every control-plane node" >&2
            exit 1
          fi
          if [ -e "$DATA_DIR" ]; then
            echo "$DATA_DIR exists: remove it or set another DATA_DIR" >&2
            exit 1
          fi

          # Point etcd at the restored data the way the Kubernetes docs do: only the host directory behind the
          # etcd-data volume changes, to DATA_DIR; the container keeps its --data-dir and mountPath. A partial or
          # misplaced edit is worse than none: etcd would start on an empty directory and, where etcd.yaml does not
          # say --initial-cluster-state=existing, form a new EMPTY cluster. So the edit goes to a copy, is checked
          # apart from the search that chose the line (diff must show exactly one line replaced, at the line found;
          # the old line must be 'path: ' and the hostPath path found, the new one 'path: ' and DATA_DIR; and the line
          # must sit under a 'hostPath:' key), and replaces etcd.yaml only once the snapshot is restored.
          # The first saved copy is kept: a second run must not write an edited manifest over the way back.
          if [ -e "$PARKED/etcd.yaml.before-restore" ]; then
            echo "keeping $PARKED/etcd.yaml.before-restore from an earlier run: it is etcd.yaml as it was before the first restore, and is not overwritten"
          else
            cp "$PARKED/etcd.yaml" "$PARKED/etcd.yaml.before-restore"
          fi
          found="$(etcd_data_host_path "$PARKED/etcd.yaml")"
          at="${found%% *}"
          old="${found#* }"
          awk -v n="$at" -v dir="$DATA_DIR" 'NR == n { match($0, /path: */); $0 = substr($0, 1, RSTART + RLENGTH - 1) dir } { print }' \
            "$PARKED/etcd.yaml" >"$PARKED/etcd.yaml.edited"
          changes="$(diff "$PARKED/etcd.yaml" "$PARKED/etcd.yaml.edited" || true)"
          changed="$(grep -c '^>' <<<"$changes" || true)"
          problem=""
          if [ "$changed" != 1 ] || [ "$(grep -c '^<' <<<"$changes" || true)" != 1 ]; then
            problem="$changed lines changed, not 1"
          elif [ "$(sed -n 1p <<<"$changes")" != "${at}c${at}" ]; then
            problem="diff says $(sed -n 1p <<<"$changes"), not ${at}c${at}"
          elif [ "$(sed -n -E 's/^< +path: *//p' <<<"$changes")" != "$old" ]; then
            problem="the line changed was not 'path: $old'"
          elif [ "$(sed -n -E 's/^> +path: *//p' <<<"$changes")" != "$DATA_DIR" ]; then
            problem="the line changed did not become 'path: $DATA_DIR'"
          elif ! parent_line "$PARKED/etcd.yaml" "$at" | grep -qE '^ *(- )*hostPath: *$'; then
            problem="line $at is not under a hostPath: key"
          fi
          if [ -n "$problem" ]; then
            rm -f "$PARKED/etcd.yaml.edited"
            echo "could not point the etcd-data volume of etcd.yaml at $DATA_DIR (it names $old; $problem). $PARKED/etcd.yaml is as it was and nothing was restored: set that volume's hostPath path to $DATA_DIR by hand, or choose another DATA_DIR." >&2
            exit 1
          fi

          flags=(
            --name "$member"
            --initial-cluster "$INITIAL_CLUSTER"
            --initial-cluster-token "$CLUSTER_TOKEN"
            --initial-advertise-peer-urls "$peers"
            --data-dir "$DATA_DIR"
          )
          # Without a bump the restored etcd counts revisions again from the snapshot's, below what the API servers
          # and every controller have already seen, and their watches miss events. --bump-revision moves it past them
          # (etcd's recovery guide: 1,000,000,000 covers a week at under 1,500 writes a second); --mark-compacted makes
          # etcd refuse the revisions in between, so every watch breaks and its client lists afresh.
          if [ "$BUMP_REVISION" != 0 ]; then
            flags+=(--bump-revision "$BUMP_REVISION" --mark-compacted)
          fi
          echo "restoring the snapshot into $DATA_DIR as member $member ($peers)"
          if ! "$RESTORE_TOOL" snapshot restore "$SNAPSHOT" "${flags[@]}"; then
            rm -f "$PARKED/etcd.yaml.edited"
            echo "$RESTORE_TOOL failed (above). $PARKED/etcd.yaml is as it was; remove what it left in $DATA_DIR before trying again." >&2
            exit 1
          fi
          mv "$PARKED/etcd.yaml.edited" "$PARKED/etcd.yaml"
          echo "etcd.yaml: the etcd-data volume's hostPath is now $DATA_DIR (was $old; the first saved copy is $PARKED/etcd.yaml.before-restore)"

          # etcd first, so the API server finds it; then the API server, the controller manager and the scheduler.
          for manifest in etcd.yaml kube-apiserver.yaml kube-controller-manager.yaml kube-scheduler.yaml; do
            if [ -f "$PARKED/$manifest" ]; then
              mv "$PARKED/$manifest" "$MANIFESTS/$manifest"
              echo "moved $manifest back to $MANIFESTS/"
            fi
          done
          echo "member $member restored; the kubelet starts etcd, the API server, the controller manager and the scheduler again."
          echo "etcd has a quorum once enough members are restored: run '$0 restore MEMBER' on the other nodes, then '$0 check'."
          echo "Then restart the kubelet on EVERY node, workers too ('systemctl restart kubelet'): it still holds what it read before the restore."
        }
        """;

    /// <summary>The summary (<see cref="ReadmeName"/>): the backup, the snapshot and where it came from, the members, the steps.</summary>
    public static string Readme(BackupManifest manifest, DateTimeOffset generatedAt)
    {
        var snapshot = manifest.Etcd?.Snapshot ?? throw new ArgumentException($"backup {manifest.BackupId} has no etcd snapshot", nameof(manifest));
        var s = new StringBuilder();
        void Line(string text = "") => s.Append(text).Append('\n');

        Line($"# etcd restore of backup {manifest.BackupId}");
        Line();
        Line($"Cluster `{manifest.Cluster}`, policy `{manifest.Policy}`, backup taken {manifest.StartedAt.UtcDateTime:u}. Written by "
            + $"`{manifest.Tool.Name} restore create --etcd` at {generatedAt.UtcDateTime:u}; Strata changed nothing in the cluster.");
        Line();
        Line("## The snapshot");
        Line();
        Line("| | |");
        Line("|---|---|");
        Line($"| file | `{SnapshotName}` ({snapshot.Size:N0} bytes; the bbolt database and etcd's SHA-256 of it) |");
        Line($"| SHA-256 | `{snapshot.Sha256}` (checked when it was downloaded, and again by the script) |");
        Line($"| etcd's own SHA-256 | `{snapshot.DatabaseSha256}` (the trailer; `etcdutl snapshot restore` checks it) |");
        Line($"| taken from | member `{Cell(snapshot.MemberName ?? "")}` ({snapshot.MemberId}) at `{Cell(snapshot.Endpoint)}` |");
        Line($"| cluster id | {snapshot.ClusterId} |");
        Line($"| revision | {snapshot.Revision} |");
        Line($"| raft term / index | {snapshot.RaftTerm} / {snapshot.RaftIndex} |");
        Line($"| database size then | {snapshot.DbSize:N0} bytes |");
        Line($"| etcd version | {Cell(snapshot.EtcdVersion)} |");
        Line($"| taken at | {snapshot.StartedAt.UtcDateTime:u} |");
        Line();
        Line("## Members");
        Line();
        Line("| name | id | peer URLs | client URLs | restored |");
        Line("|---|---|---|---|---|");
        var restored = Restored(snapshot);
        foreach (var member in snapshot.Members)
        {
            Line($"| {Cell(member.Name)} | {member.Id} | {Cell(string.Join(", ", member.PeerUrls))} | {Cell(string.Join(", ", member.ClientUrls))} | "
                + (restored.Contains(member) ? "yes" : member.IsLearner ? "no: a learner, added back afterwards" : "no: never started") + " |");
        }

        Line();
        Line("## Steps");
        Line();
        Line($"`{ScriptName}` restores one member per run, on that member's node, as root. Read it first, then set `CONFIRM=yes` in it. "
            + "Copy this whole folder to every control-plane node (it holds every Secret of the cluster: keep it as private as the snapshot).");
        Line();
        Line($"1. `./{ScriptName} stop` on every control-plane node. It first checks that the node can restore: the restore tool on `PATH`, "
            + $"`{SnapshotName}` against the SHA-256 above, an `etcd.yaml` with a hostPath volume named `etcd-data`; if one fails, nothing is changed. "
            + "Then the API server, controller manager, scheduler and etcd stop (their static-pod manifests move to `/etc/kubernetes/manifests-stopped-by-strata`).");
        Line($"2. `./{ScriptName} restore MEMBER` on each node, with the node's member name: the same checks; the hostPath of `etcd.yaml`'s `etcd-data` volume "
            + $"is pointed at `{DefaultDataDirectory}` (one line changes, checked; the container keeps its `--data-dir`); the snapshot is restored there with the "
            + $"member's name and peer URLs, the whole membership, a new cluster token and `--bump-revision {BumpRevision.ToString(CultureInfo.InvariantCulture)} --mark-compacted`; "
            + "and the manifests move back.");
        Line($"3. `./{ScriptName} check` once every member is restored: `etcdctl endpoint health` and `member list` over all members.");
        Line("4. Restart the kubelet on every node, workers too (`systemctl restart kubelet`): it still holds what it read before the restore. "
            + "The controller manager and the scheduler were restarted by steps 1 and 2.");
        Line();
        Line("## The restore tool");
        Line();
        Line("kubeadm nodes usually have neither `etcdutl` nor `etcdctl` on the host, and the `registry.k8s.io/etcd` image carries `etcd` and `etcdctl` "
            + "but no `etcdutl`. Put one on `PATH` on every control-plane node before step 1 (the script refuses to stop anything without it):");
        Line();
        Line($"- `etcdutl` from the etcd release of the cluster's version (etcd {Cell(snapshot.EtcdVersion)} at backup time): "
            + "`etcd-vX.Y.Z-linux-amd64.tar.gz` from https://github.com/etcd-io/etcd/releases (check it against the release's `SHA256SUMS`), "
            + "then `install etcd-vX.Y.Z-linux-amd64/etcdutl /usr/local/bin/`;");
        Line("- or, on etcd 3.4 and 3.5, `etcdctl` out of the etcd image the node already runs, then set `RESTORE_TOOL=etcdctl` in the script: "
            + "`ctr -n k8s.io images mount IMAGE /mnt/etcd-image` (IMAGE as in `etcd.yaml`'s `image:`), "
            + "`install /mnt/etcd-image/usr/local/bin/etcdctl /usr/local/bin/`, `ctr -n k8s.io images unmount /mnt/etcd-image`. "
            + "etcdctl 3.6 cannot restore.");
        Line();
        Line("`--bump-revision` needs etcdutl or etcdctl 3.5.10 or later, or etcdctl 3.4.27 or later; with an older tool the script refuses unless "
            + "`BUMP_REVISION=0` is set in it on every node (then watches that saw later revisions may miss events until their clients restart).");
        Line();
        Line("Every member is restored from the same snapshot; none joins the old cluster (new token). "
            + "The old data directories are left as they were. See docs/restore.md, \"etcd (self-managed control planes)\".");
        return s.ToString();
    }

    /// <summary>A shell line with a comment after it, aligned where it fits (a '#' must follow a space to start a comment).</summary>
    private static string Commented(string line, string comment) => $"{line.PadRight(42)}  # {comment}";

    /// <summary><paramref name="value"/> as one single-quoted shell word.</summary>
    private static string Quote(string value) => "'" + value.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary><paramref name="value"/> on one comment line: no control character can end the comment.</summary>
    private static string Comment(string value) => new([.. value.Select(c => char.IsControl(c) ? '?' : c)]);

    /// <summary><paramref name="value"/> in a Markdown table cell.</summary>
    private static string Cell(string value) => Comment(value).Replace("|", "\\|", StringComparison.Ordinal);
}
