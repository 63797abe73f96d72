using System.Globalization;
using System.Text;
using Strata.Core.Artifacts;

namespace Strata.Core.Etcd;

/// <summary>
/// The restore guide of an etcd snapshot (<c>strata restore create --etcd</c>): a script the operator runs on each
/// control-plane node of a kubeadm cluster, generated from the members the backup recorded — stop the API server and
/// etcd everywhere, restore the same snapshot once per member (its name and peer URLs, the whole membership, a new
/// cluster token) into a new data directory, point etcd's static-pod manifest at it, start again, check — and a README
/// that says what the snapshot is. Strata touches no cluster here: people run the script, after reading it.
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
        Line("# to a new directory (DATA_DIR); the old one is left as it is.");
        Line("#");
        Line("# Run it as root on the control-plane nodes (kubeadm: static pods in /etc/kubernetes/manifests), in three passes:");
        var steps = new (string Command, string[] What)[]
        {
            ($"1. ./{ScriptName} stop", ["on EVERY control-plane node: moves kube-apiserver.yaml and etcd.yaml out of", "the manifests folder, so the kubelet stops the API server and etcd, and no", "write lands in the old cluster while it is replaced;"]),
            ($"2. ./{ScriptName} restore MEMBER", ["on each node, naming that node's member: checks the snapshot, restores it", "into DATA_DIR, points etcd.yaml at DATA_DIR, moves both manifests back;"]),
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
        Line("# etcd 3.4 has no etcdutl: set RESTORE_TOOL=etcdctl, which runs 'ETCDCTL_API=3 etcdctl snapshot restore' with the");
        Line("# same flags.");
        Line();
        Line("set -euo pipefail");
        Line();
        Line("# ---- Edit here. Nothing is changed until CONFIRM is yes. ----");
        Line(Commented("CONFIRM=no", "yes, once you have read this script and checked the values below"));
        Line(Commented($"DATA_DIR={Quote(DefaultDataDirectory)}", "a new directory for the member's restored data (the old one stays)"));
        Line(Commented($"CLUSTER_TOKEN={Quote(ClusterToken(manifest.BackupId, generatedAt))}", "new: the restored members form a cluster of their own"));
        Line(Commented("RESTORE_TOOL=etcdutl", "etcdctl on etcd 3.4"));
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
        Line("confirmed() {");
        Line("  if [ \"$CONFIRM\" != yes ]; then");
        Line("    echo \"Refusing to run: read this script, check DATA_DIR and CLUSTER_TOKEN, then set CONFIRM=yes in it.\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("}");
        Line();
        Line("stop() {");
        Line("  confirmed");
        Line("  mkdir -p \"$PARKED\"");
        Line("  for manifest in kube-apiserver.yaml etcd.yaml; do");
        Line("    if [ -f \"$MANIFESTS/$manifest\" ]; then");
        Line("      mv \"$MANIFESTS/$manifest\" \"$PARKED/$manifest\"");
        Line("      echo \"moved $MANIFESTS/$manifest to $PARKED/\"");
        Line("    elif [ ! -f \"$PARKED/$manifest\" ]; then");
        Line("      echo \"$MANIFESTS/$manifest is missing: is this a kubeadm control-plane node?\" >&2");
        Line("      exit 1");
        Line("    fi");
        Line("  done");
        Line("  if ! command -v pgrep >/dev/null; then");
        Line("    echo \"pgrep is missing: check with 'crictl ps' that etcd and kube-apiserver have stopped before restoring\"");
        Line("    return 0");
        Line("  fi");
        Line("  echo \"waiting for the kubelet to stop etcd and the API server ...\"");
        Line("  for _ in $(seq 1 60); do");
        Line("    if ! pgrep -x etcd >/dev/null && ! pgrep -x kube-apiserver >/dev/null; then");
        Line("      echo \"stopped. Run '$0 stop' on every other control-plane node, then '$0 restore MEMBER' on each.\"");
        Line("      return 0");
        Line("    fi");
        Line("    sleep 2");
        Line("  done");
        Line("  echo \"etcd or kube-apiserver still runs after 2 minutes: look with 'crictl ps' before restoring\" >&2");
        Line("  exit 1");
        Line("}");
        Line();
        Line("restore() {");
        Line("  confirmed");
        Line("  local member=\"$1\" peers old");
        Line("  if [ -z \"$INITIAL_CLUSTER\" ]; then");
        Line("    echo \"the backup recorded no members: fill INITIAL_CLUSTER and peer_urls in this script by hand\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("  peers=\"$(peer_urls \"$member\")\" || usage");
        Line("  if [ ! -f \"$PARKED/etcd.yaml\" ] || [ ! -f \"$PARKED/kube-apiserver.yaml\" ]; then");
        Line("    echo \"run '$0 stop' first, on every control-plane node\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("  echo \"checking $SNAPSHOT\"");
        Line("  if ! echo \"$SNAPSHOT_SHA256  $SNAPSHOT\" | sha256sum --check --status; then");
        Line("    echo \"$SNAPSHOT does not match the SHA-256 recorded at backup time: do not restore it\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("  if [ -e \"$DATA_DIR\" ]; then");
        Line("    echo \"$DATA_DIR exists: remove it or set another DATA_DIR\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("  echo \"restoring the snapshot into $DATA_DIR as member $member ($peers)\"");
        Line("  if [ \"$RESTORE_TOOL\" = etcdctl ]; then export ETCDCTL_API=3; fi");
        Line("  \"$RESTORE_TOOL\" snapshot restore \"$SNAPSHOT\" \\");
        Line("    --name \"$member\" \\");
        Line("    --initial-cluster \"$INITIAL_CLUSTER\" \\");
        Line("    --initial-cluster-token \"$CLUSTER_TOKEN\" \\");
        Line("    --initial-advertise-peer-urls \"$peers\" \\");
        Line("    --data-dir \"$DATA_DIR\"");
        Line();
        Line("  # kubeadm's etcd.yaml names the data directory three times, each at the end of its line: --data-dir=, the");
        Line("  # etcd-data volume's mountPath and its hostPath path. All three move to DATA_DIR (a copy of the file is kept).");
        Line("  old=\"$(sed -n 's/^ *- --data-dir=\\(.*\\)$/\\1/p' \"$PARKED/etcd.yaml\" | head -n 1)\"");
        Line("  if [ -z \"$old\" ]; then");
        Line("    echo \"no --data-dir in $PARKED/etcd.yaml: set its data directory and hostPath to $DATA_DIR by hand, then move it and kube-apiserver.yaml back to $MANIFESTS\" >&2");
        Line("    exit 1");
        Line("  fi");
        Line("  cp \"$PARKED/etcd.yaml\" \"$PARKED/etcd.yaml.before-restore\"");
        Line("  sed -i \"s#\\([=:] *\\)$old\\$#\\1$DATA_DIR#\" \"$PARKED/etcd.yaml\"");
        Line("  echo \"etcd.yaml now names $DATA_DIR on lines:\"");
        Line("  grep -n \"$DATA_DIR\" \"$PARKED/etcd.yaml\"");
        Line("  mv \"$PARKED/etcd.yaml\" \"$MANIFESTS/etcd.yaml\"");
        Line("  mv \"$PARKED/kube-apiserver.yaml\" \"$MANIFESTS/kube-apiserver.yaml\"");
        Line("  echo \"member $member restored; the kubelet starts etcd and the API server again.\"");
        Line("  echo \"etcd has a quorum once enough members are restored: run '$0 restore MEMBER' on the other nodes, then '$0 check'.\"");
        Line("}");
        Line();
        Line("check() {");
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
        Line($"`{ScriptName}` restores one member per run, on that member's node, as root. Read it first, then set `CONFIRM=yes` in it.");
        Line();
        Line($"1. `./{ScriptName} stop` on every control-plane node: the API servers and etcd stop (their static-pod manifests move to `/etc/kubernetes/manifests-stopped-by-strata`).");
        Line($"2. Copy this folder to each control-plane node and run `./{ScriptName} restore MEMBER` there, with the node's member name: the snapshot's SHA-256 is checked, "
            + $"the snapshot is restored into `{DefaultDataDirectory}` with the member's name and peer URLs, the whole membership and a new cluster token, "
            + "etcd's manifest is pointed at the new directory, and both manifests move back.");
        Line($"3. `./{ScriptName} check` once every member is restored: `etcdctl endpoint health` and `member list` over all members.");
        Line();
        Line("Every member is restored from the same snapshot; none joins the old cluster (new token). etcd 3.4 has no `etcdutl`: set `RESTORE_TOOL=etcdctl` in the script. "
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
