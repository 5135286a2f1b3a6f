#!/bin/bash
# What a durable queue costs on this machine, measured on postfix, the reference MTA: postfix's smtp-source sends
# N mails on S sessions straight into smtp-sink, then the same mails into a private postfix instance that queues each
# one on disk (synced before it answers 250) and relays them to the same sink. Prints, for each round, the rate from the
# first mail to the last delivery and the whole machine's busy CPU (all processes, from /proc/stat) for each path.
# docs/benchmark.md, "What bounds the queued lines", has the figures; the outbox's queued lines are the same comparison.
#
#   sudo bash tests/MailMvc.Benchmarks/postfix_queue.sh            # N=10000 S=4 ROUNDS=3
#   MSG=/tmp/bench-work/welcome-4k.eml (the mail project.sh's smtp-source sends; `bash ../shared/bench/lib/setup.sh`
#   makes it). Needs root (postfix's daemons change to its own user) and Debian's postfix package; the system's own
#   postfix is not touched. SINK_PORT=2535 and QUEUE_PORT=2536 must be free.
set -euo pipefail
shopt -s nullglob
N=${N:-10000}
S=${S:-4}
ROUNDS=${ROUNDS:-3}
MSG=${MSG:-/tmp/bench-work/welcome-4k.eml}
SINK_PORT=${SINK_PORT:-2535}
QUEUE_PORT=${QUEUE_PORT:-2536}
[ "$(id -u)" = 0 ] || { echo "postfix_queue.sh: run as root (postfix's daemons switch to the postfix user)" >&2; exit 1; }
[ -r "$MSG" ] || { echo "postfix_queue.sh: no mail at $MSG (bash ../shared/bench/lib/setup.sh makes it)" >&2; exit 1; }

dir=$(mktemp -d /tmp/postfix-queue.XXXXXX)
chmod 755 "$dir"
sink_pid=""
cleanup() {
  postfix -c "$dir" stop >/dev/null 2>&1 || true
  [ -n "$sink_pid" ] && kill "$sink_pid" 2>/dev/null || true
  rm -rf "$dir"
}
trap cleanup EXIT

mkdir -p "$dir/queue" "$dir/data"
chown postfix:postfix "$dir/data"
# The stock services, none chrooted, smtpd on the queue's port, and postlogd for the log file.
sed -e "s/^smtp\s\+inet\s.*/127.0.0.1:$QUEUE_PORT inet n - n - - smtpd/" \
    -e 's/^\(\S\+\s\+\(unix\|unix-dgram\|fifo\|inet\|pass\)\s\+\S\+\s\+\S\+\s\+\)y/\1n/' /etc/postfix/master.cf >"$dir/master.cf"
grep -q '^postlog' "$dir/master.cf" || echo 'postlog unix-dgram n - n - 1 postlogd' >>"$dir/master.cf"
cat >"$dir/main.cf" <<EOF
compatibility_level = 3.6
queue_directory = $dir/queue
data_directory = $dir/data
myhostname = bench.localdomain
mydestination =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
relayhost = [127.0.0.1]:$SINK_PORT
mynetworks = 127.0.0.0/8
smtpd_relay_restrictions = permit_mynetworks, reject
alias_maps =
alias_database =
local_recipient_maps =
maillog_file = $dir/maillog
maillog_file_prefixes = $dir
default_destination_concurrency_limit = $S
EOF
# start checks the instance first, which creates its queue's folders with their owners.
postfix -c "$dir" start >/dev/null 2>&1
setsid smtp-sink -u nobody -c "127.0.0.1:$SINK_PORT" 1000 >/dev/null 2>&1 &
sink_pid=$!
for _ in $(seq 50); do
  ss -ltn | grep -q "127.0.0.1:$QUEUE_PORT " && ss -ltn | grep -q "127.0.0.1:$SINK_PORT " && break
  sleep 0.1
done

busy() { awk '/^cpu /{print $2+$3+$4+$7+$8+$9}' /proc/stat; }
now() { date +%s.%N; }
source_to() { smtp-source -d -s "$S" -m "$N" -F "$MSG" -f bench@example.test -t user@example.test -M bench.example.test "127.0.0.1:$1"; }
# Whether any mail is still in the queue, without starting a process (the poll's CPU counts in the figure): incoming,
# active and maildrop are flat folders, deferred is hashed one level deep (postfix's defaults).
queued() { local files=("$dir"/queue/{incoming,active,maildrop}/* "$dir"/queue/deferred/*/*); [ ${#files[@]} -gt 0 ]; }
sent() { grep -c "status=sent" "$dir/maillog" 2>/dev/null || true; }
report() { printf '%-7s %6.0f mails/s  machine CPU %6.2f s (%5.0f us a mail)%s\n' "$1" "$(echo "$N/($3-$2)" | bc -l)" \
  "$(echo "($5-$4)/100" | bc -l)" "$(echo "($5-$4)*10000/$N" | bc -l)" "${6:-}"; }

echo "postfix $(postconf -d -h mail_version), $N mails on $S sessions, $(wc -c <"$MSG") bytes each, $(nproc) cores"
for round in $(seq "$ROUNDS"); do
  t0=$(now); b0=$(busy); source_to "$SINK_PORT"; t1=$(now); b1=$(busy)
  report direct "$t0" "$t1" "$b0" "$b1"
  before=$(sent)
  t0=$(now); b0=$(busy); source_to "$QUEUE_PORT"; accepted=$(now)
  while queued; do sleep 0.01; done
  t1=$(now); b1=$(busy)
  # postlogd writes the log a moment after the queue empties.
  for _ in $(seq 50); do [ $(($(sent) - before)) -ge "$N" ] && break; sleep 0.1; done
  delivered=$(($(sent) - before))
  report queued "$t0" "$t1" "$b0" "$b1" "  (all accepted after $(printf %.1f "$(echo "$accepted-$t0" | bc -l)") s; $delivered delivered)"
  [ "$delivered" = "$N" ] || { echo "postfix_queue.sh: $delivered of $N delivered; see $dir/maillog" >&2; trap - EXIT; exit 1; }
done
