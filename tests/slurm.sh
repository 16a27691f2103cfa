#!/bin/sh
# tests/slurm.sh - `make test-slurm`: runs a district comparison through a real
# Slurm job array on this machine.  Starts a private single-node Slurm (munged,
# slurmctld, slurmd with a generated slurm.conf for this host, 2 CPUs, ports
# 6917/6918 so a system Slurm is not disturbed), writes a 2-school x 2-scenario
# manifest, lets `paipian compare --slurm-script` write the sbatch script, submits
# it, waits for the array, merges with `paipian compare --merge` and checks the
# CSV.  Needs root (munged and slurmd run as root here) and Debian's slurm-wlm and
# munge.  Everything it starts is stopped by pid at the end; state lives in a
# temporary folder that is removed.
set -u
root=$(cd "$(dirname "$0")/.." && pwd)
paipian="$root/paipian"
T=$(mktemp -d /tmp/pp-slurm-XXXXXX)
host=$(hostname -s)
fail() { echo "test-slurm: FAILED: $*"; for f in "$T"/log/*.log; do [ -f "$f" ] && { echo "--- $f"; tail -15 "$f"; }; done; cleanup; exit 1; }
cleanup() {
    for p in slurmd slurmctld munged; do
        [ -f "$T/run/$p.pid" ] && kill "$(cat "$T/run/$p.pid")" 2>/dev/null
    done
    sleep 1
    rm -rf "$T"
}
for b in munged slurmctld slurmd sbatch squeue; do
    command -v "$b" >/dev/null 2>&1 || [ -x "/usr/sbin/$b" ] || { echo "test-slurm: $b not found; install slurm-wlm and munge"; exit 1; }
done
[ "$(id -u)" = 0 ] || { echo "test-slurm: needs root (munged, slurmd)"; exit 1; }
[ -x "$paipian" ] || { echo "test-slurm: build paipian first (make)"; exit 1; }
mkdir -p "$T/run" "$T/log" "$T/state" "$T/spool" "$T/munge"
chmod 700 "$T/munge"

# munge: our own socket and key copy, so a system munged (if any) is untouched
cp /etc/munge/munge.key "$T/munge/munge.key" 2>/dev/null || dd if=/dev/urandom of="$T/munge/munge.key" bs=128 count=1 2>/dev/null
chmod 400 "$T/munge/munge.key"
/usr/sbin/munged --force --key-file="$T/munge/munge.key" --socket="$T/munge/munge.sock" \
    --pid-file="$T/run/munged.pid" --log-file="$T/log/munged.log" --seed-file="$T/munge/seed" || fail "munged did not start"

cat > "$T/slurm.conf" <<CONF
ClusterName=paipian
SlurmctldHost=$host
SlurmctldPort=6917
SlurmdPort=6918
AuthType=auth/munge
AuthInfo=socket=$T/munge/munge.sock
CredType=cred/munge
SlurmUser=root
SlurmdUser=root
StateSaveLocation=$T/state
SlurmdSpoolDir=$T/spool
SlurmctldPidFile=$T/run/slurmctld.pid
SlurmdPidFile=$T/run/slurmd.pid
SlurmctldLogFile=$T/log/slurmctld.log
SlurmdLogFile=$T/log/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
MpiDefault=none
SwitchType=switch/none
ReturnToService=2
SchedulerType=sched/backfill
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
SlurmctldTimeout=30
SlurmdTimeout=30
NodeName=$host CPUs=2 State=UNKNOWN
PartitionName=debug Nodes=$host Default=YES MaxTime=INFINITE State=UP
CONF
export SLURM_CONF="$T/slurm.conf"
/usr/sbin/slurmctld -f "$SLURM_CONF" || fail "slurmctld did not start"
/usr/sbin/slurmd -f "$SLURM_CONF" || fail "slurmd did not start"
i=0
until sinfo -h -o %T 2>/dev/null | grep -q idle; do
    i=$((i + 1)); [ $i -gt 30 ] && fail "the node did not become idle: $(sinfo 2>&1)"
    sleep 1
done

# 2 schools x (baseline + 1 scenario)
cp "$root/instances/tiny.xml" "$T/a.xml"
sed 's/id="demo" name="示例小学"/id="demo2" name="第二小学"/' "$root/instances/tiny.xml" > "$T/b.xml"
cat > "$T/more.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<scenario xmlns="urn:paipian:district:1" id="more" name="加2名教师">
  <add-staff type="teacher" count="2"/>
</scenario>
XML
cat > "$T/manifest.xml" <<'XML'
<?xml version="1.0" encoding="UTF-8"?>
<district xmlns="urn:paipian:district:1" name="Slurm 测试区">
  <school file="a.xml"/>
  <school file="b.xml"/>
  <scenario file="more.xml"/>
</district>
XML
"$paipian" compare "$T/manifest.xml" -o "$T/out" --slurm-script "$T/job.sbatch" --time-limit 5 --marginal 1 --marginal-time-limit 1 \
    || fail "paipian compare --slurm-script"
job=$(sbatch --parsable "$T/job.sbatch") || fail "sbatch"
echo "test-slurm: submitted job array $job (4 tasks)"
i=0
while squeue -h -j "$job" 2>/dev/null | grep -q .; do
    i=$((i + 1)); [ $i -gt 180 ] && fail "the job array did not finish in 180 s: $(squeue 2>&1)"
    sleep 1
done
"$paipian" compare --merge "$T/out"
rc=$?
[ $rc -eq 0 ] || fail "paipian compare --merge exited $rc"
csv="$T/out/comparison.csv"
rows=$(grep -c '^demo' "$csv")
totals=$(grep -c '^全区合计' "$csv")
errors=$(grep -c ',error,' "$csv")
tasks=$(ls "$T/out/pairs"/pair-*.txt | wc -l)
logs=$(ls "$T/out/pairs"/slurm-"$job"_*.out 2>/dev/null | wc -l)   # written by Slurm itself, one per array task
[ "$rows" = 4 ] && [ "$totals" = 2 ] && [ "$errors" = 0 ] && [ "$tasks" = 4 ] && [ "$logs" = 4 ] ||
    fail "expected 4 pair rows, 2 totals, no error, 4 task logs; got $rows rows, $totals totals, $errors errors, $tasks result files, $logs task logs"
grep -q '^demo2,第二小学,more,加2名教师,' "$csv" || fail "no row for school demo2 under scenario more"
echo "test-slurm: passed: job array $job ran 4 tasks on node $host; merged $rows pair rows and $totals totals"
cleanup
exit 0
