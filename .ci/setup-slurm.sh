#!/usr/bin/env bash
# Installs and starts a real single-node Slurm cluster on this machine (Debian, root, no systemd needed),
# so the Slurm backend tests submit real job arrays. Idempotent: a second call finds the daemons running
# and only prints the status.
#
#   .ci/setup-slurm.sh           install (if needed), configure, start, print status
#   .ci/setup-slurm.sh --stop    stop the daemons this script started (by their PID files)
#
# Environment: EMOTUNE_SLURM_DIR (state, spool, logs, pid files; default /var/tmp/emotune-slurm),
#              EMOTUNE_SLURM_CPUS (task slots the node advertises; default max(8, nproc)).
set -euo pipefail

STATE_DIR="${EMOTUNE_SLURM_DIR:-/var/tmp/emotune-slurm}"
HOST="$(hostname -s)"
CONF_DIR=/etc/slurm
CONF="$CONF_DIR/slurm.conf"
T0=$(date +%s)

log() { printf '[setup-slurm] %s\n' "$*"; }

pid_alive() { [[ -f "$1" ]] && kill -0 "$(cat "$1")" 2>/dev/null; }

# Stop a daemon by its PID file and wait (up to 15 s) until it has exited.
stop_pidfile() {
  local pidfile=$1 name=$2 pid
  pid_alive "$pidfile" || return 0
  pid=$(cat "$pidfile")
  log "stopping $name (pid $pid)"
  kill "$pid" 2>/dev/null || true
  for _ in $(seq 1 30); do kill -0 "$pid" 2>/dev/null || return 0; sleep 0.5; done
  log "$name (pid $pid) did not exit; sending SIGKILL"
  kill -9 "$pid" 2>/dev/null || true
}

stop_daemons() {
  stop_pidfile "$STATE_DIR/slurmd.pid" slurmd
  stop_pidfile "$STATE_DIR/slurmctld.pid" slurmctld
  stop_pidfile /run/munge/munged.pid munged
}

if [[ "${1:-}" == "--stop" ]]; then
  stop_daemons
  exit 0
fi

if [[ $(id -u) -ne 0 ]]; then
  echo "setup-slurm: must run as root (installs packages and starts daemons)" >&2
  exit 1
fi

# --- install -------------------------------------------------------------------------------------------
if ! command -v slurmctld >/dev/null || ! command -v munged >/dev/null || ! command -v sbatch >/dev/null; then
  log "installing slurm-wlm and munge"
  export DEBIAN_FRONTEND=noninteractive
  # Wait for a concurrent apt/dpkg (another CI step) instead of failing on its lock.
  APT=(apt-get -o DPkg::Lock::Timeout=300 -y -q)
  if ! "${APT[@]}" install --no-install-recommends slurm-wlm munge >/dev/null; then
    "${APT[@]}" update >/dev/null
    "${APT[@]}" install --no-install-recommends slurm-wlm munge >/dev/null
  fi
fi

# --- configure -----------------------------------------------------------------------------------------
mkdir -p "$STATE_DIR/state" "$STATE_DIR/spool" "$STATE_DIR/log" "$CONF_DIR"
NPROC=$(nproc)
SLOTS="${EMOTUNE_SLURM_CPUS:-$(( NPROC > 8 ? NPROC : 8 ))}"
MEM_MB=$(( $(awk '/MemTotal/ {print $2}' /proc/meminfo) / 1024 * 9 / 10 ))

NEW_CONF=$(cat <<EOF
# Written by .ci/setup-slurm.sh: one node, no accounting database, for tests.
ClusterName=emotune
SlurmctldHost=${HOST}(127.0.0.1)
SlurmUser=root
AuthType=auth/munge
MailProg=/bin/true
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/filetxt
JobCompLoc=${STATE_DIR}/jobcomp.txt
MinJobAge=3600
SchedulerParameters=batch_sched_delay=0
ReturnToService=2
SlurmdParameters=config_overrides
StateSaveLocation=${STATE_DIR}/state
SlurmdSpoolDir=${STATE_DIR}/spool
SlurmctldPidFile=${STATE_DIR}/slurmctld.pid
SlurmdPidFile=${STATE_DIR}/slurmd.pid
SlurmctldLogFile=${STATE_DIR}/log/slurmctld.log
SlurmdLogFile=${STATE_DIR}/log/slurmd.log
NodeName=${HOST} NodeAddr=127.0.0.1 CPUs=${SLOTS} RealMemory=${MEM_MB} State=UNKNOWN
PartitionName=debug Nodes=${HOST} Default=YES MaxTime=INFINITE State=UP
EOF
)

CONF_CHANGED=0
if [[ ! -f "$CONF" ]] || [[ "$(cat "$CONF")" != "$NEW_CONF" ]]; then
  printf '%s\n' "$NEW_CONF" > "$CONF"
  CONF_CHANGED=1
  log "wrote $CONF (node $HOST, $SLOTS task slots, ${MEM_MB} MB)"
fi

# munge refuses to run as root; its key must be private to the munge user.
if [[ ! -s /etc/munge/munge.key ]]; then
  mkdir -p /etc/munge
  dd if=/dev/urandom of=/etc/munge/munge.key bs=1024 count=1 status=none
fi
chown munge:munge /etc/munge/munge.key
chmod 0400 /etc/munge/munge.key
mkdir -p /run/munge /var/log/munge /var/lib/munge
chown munge:munge /run/munge /var/log/munge /var/lib/munge
chmod 0755 /run/munge

# --- start ---------------------------------------------------------------------------------------------
if ! pid_alive /run/munge/munged.pid; then
  log "starting munged"
  runuser -u munge -- munged
fi

if [[ $CONF_CHANGED -eq 1 ]]; then
  # A changed config needs fresh daemons; stop only the ones this script started.
  stop_pidfile "$STATE_DIR/slurmd.pid" slurmd
  stop_pidfile "$STATE_DIR/slurmctld.pid" slurmctld
fi

if ! pid_alive "$STATE_DIR/slurmctld.pid"; then
  log "starting slurmctld"
  setsid slurmctld -D -i >"$STATE_DIR/log/slurmctld.out" 2>&1 < /dev/null &
fi
if ! pid_alive "$STATE_DIR/slurmd.pid"; then
  log "starting slurmd"
  setsid slurmd -D -N "$HOST" >"$STATE_DIR/log/slurmd.out" 2>&1 < /dev/null &
fi

# --- wait until the node takes jobs --------------------------------------------------------------------
for _ in $(seq 1 60); do
  state=$(sinfo -h -N -n "$HOST" -o '%t' 2>/dev/null | head -n1 || true)
  case "$state" in
    idle|mix|alloc) break ;;
    down*|drain*) scontrol update NodeName="$HOST" State=RESUME >/dev/null 2>&1 || true ;;
  esac
  sleep 0.5
done

state=$(sinfo -h -N -n "$HOST" -o '%t' 2>/dev/null | head -n1 || true)
sinfo
if [[ "$state" != idle && "$state" != mix && "$state" != alloc ]]; then
  echo "setup-slurm: node $HOST is not ready (state '${state:-unknown}'); logs in $STATE_DIR/log" >&2
  tail -n 20 "$STATE_DIR/log/slurmctld.log" "$STATE_DIR/log/slurmd.log" >&2 || true
  exit 1
fi
log "cluster ready in $(( $(date +%s) - T0 )) s (node $HOST: $state; jobcomp log $STATE_DIR/jobcomp.txt)"
