# Shared by the bench/*.sh scripts (sourced, not run). Everything runs on
# 127.0.0.1 in a scratch directory; every server started here is stopped by
# its pid when the script exits. BENCH_KEEP=1 keeps the scratch directory.

set -euo pipefail

REPO=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
# Dovecot's unprivileged processes must traverse it: 0755 under /tmp.
WORK=$(mktemp -d /tmp/vvgbench.XXXXXX)
chmod 755 "$WORK"
BIN=$WORK/vvgintake
CONFIG=${BENCH_CONFIG:-$REPO/config.example.toml} # BENCH_CONFIG: another build's example
PIDS=()
PGIDS=()

cleanup() {
	local p
	for p in "${PGIDS[@]}"; do kill -TERM -- "-$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}"; do kill -TERM "$p" 2>/dev/null || true; done
	for p in "${PIDS[@]}" "${PGIDS[@]}"; do
		for _ in $(seq 50); do kill -0 "$p" 2>/dev/null || break; sleep 0.1; done
	done
	if [[ ${BENCH_KEEP:-0} == 1 ]]; then
		echo "kept $WORK" >&2
	else
		rm -rf "$WORK"
	fi
}
trap cleanup EXIT

die() { echo "bench: $*" >&2; exit 1; }

need() {
	local c
	for c in "$@"; do command -v "$c" >/dev/null || die "$c not found; see bench/README.md"; done
}

# free_port prints a loopback port nobody listens on.
free_port() {
	local p
	for _ in $(seq 100); do
		p=$((20000 + RANDOM % 40000))
		if ! (exec 3<>"/dev/tcp/127.0.0.1/$p") 2>/dev/null; then
			echo "$p"
			return
		fi
	done
	die "no free port"
}

# build_vvgintake builds the binary into $BIN, or uses $VVGINTAKE_BIN (to
# compare two versions).
build_vvgintake() {
	if [[ -n ${VVGINTAKE_BIN:-} ]]; then
		BIN=$VVGINTAKE_BIN
		return
	fi
	(cd "$REPO" && go build -o "$BIN" ./cmd/vvgintake) || die "build failed"
}

# start_dovecot DIR starts a private Dovecot (user resident/secret, mail in
# DIR/mail/resident/Maildir) on a free port and sets DOVECOT_PORT and
# DOVECOT_CONF. Same setup as intake/intaketest.StartDovecot.
start_dovecot() {
	local d=$1 uid=65534 gid=65534 users="" first=500
	need dovecot doveadm
	mkdir -p "$d/run" "$d/state" "$d/mail"
	chmod 755 "$d"
	if [[ $(id -u) != 0 ]]; then
		uid=$(id -u) gid=$(id -g) first=$(id -u)
		users="default_login_user = $(id -un)
default_internal_user = $(id -un)
default_internal_group = $(id -gn)"
	else
		chown -R "$uid:$gid" "$d/mail"
	fi
	echo "resident:{PLAIN}secret" >"$d/passwd"
	DOVECOT_PORT=$(free_port)
	DOVECOT_CONF=$d/dovecot.conf
	cat >"$DOVECOT_CONF" <<EOF
instance_name = vvgbench-$DOVECOT_PORT
protocols = imap
listen = 127.0.0.1
base_dir = $d/run
state_dir = $d/state
log_path = $d/dovecot.log
info_log_path = $d/dovecot.log
ssl = no
disable_plaintext_auth = no
auth_mechanisms = plain login
first_valid_uid = $first
mail_location = maildir:~/Maildir
mail_fsync = never
$users
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%u $d/passwd
}
userdb {
  driver = static
  args = uid=$uid gid=$gid home=$d/mail/%u
}
service imap-login {
  chroot =
  inet_listener imap {
    address = 127.0.0.1
    port = $DOVECOT_PORT
  }
  inet_listener imaps {
    port = 0
  }
}
service anvil {
  chroot =
}
EOF
	setsid "$(command -v dovecot)" -F -c "$DOVECOT_CONF" >"$d/master.out" 2>&1 &
	local pid=$!
	PGIDS+=("$pid")
	for _ in $(seq 150); do
		if (exec 3<>"/dev/tcp/127.0.0.1/$DOVECOT_PORT" && read -r -t 2 line <&3 && [[ $line == "* OK"* ]]) 2>/dev/null; then
			DOVECOT_PID=$pid
			return
		fi
		sleep 0.1
	done
	cat "$d/master.out" "$d/dovecot.log" >&2 || true
	die "dovecot did not start"
}

# stop_dovecot stops the Dovecot started last and waits until it is gone.
stop_dovecot() {
	kill -TERM -- "-$DOVECOT_PID" 2>/dev/null || true
	for _ in $(seq 150); do kill -0 -- "-$DOVECOT_PID" 2>/dev/null || return 0; sleep 0.1; done
	kill -KILL -- "-$DOVECOT_PID" 2>/dev/null || true
}

# start_mailpit DIR starts Mailpit on free ports; sets SMTP_PORT, MAILPIT_API.
start_mailpit() {
	local d=$1 bin=${VVGINTAKE_MAILPIT:-}
	[[ -n $bin ]] || bin=$(command -v mailpit || true)
	[[ -n $bin ]] || bin=$(go env GOPATH)/bin/mailpit
	[[ -x $bin ]] || die "mailpit not found (GOBIN=\$(go env GOPATH)/bin go install github.com/axllent/mailpit@v1.27.11)"
	mkdir -p "$d"
	SMTP_PORT=$(free_port)
	local api
	api=$(free_port)
	MAILPIT_API=127.0.0.1:$api
	"$bin" --database "$d/mailpit.db" --listen "$MAILPIT_API" --smtp "127.0.0.1:$SMTP_PORT" \
		--disable-version-check --smtp-disable-rdns --smtp-auth-accept-any --smtp-auth-allow-insecure \
		--max 0 >"$d/mailpit.log" 2>&1 &
	PIDS+=("$!")
	for _ in $(seq 200); do
		curl -fsS "http://$MAILPIT_API/readyz" >/dev/null 2>&1 && return
		sleep 0.1
	done
	cat "$d/mailpit.log" >&2
	die "mailpit did not start"
}

# vvg_env DIR prints the environment for the example configuration with a
# fresh ledger in DIR and everything off; callers add IMAP/SMTP/form.
vvg_env() {
	echo "PATH=$PATH HOME=$1 USER=bench VVGINTAKE_LEDGER_PATH=$1/vvgintake.db VVGINTAKE_LOG_LEVEL=warn"
	echo "VVGINTAKE_IMAP_ENABLED=false VVGINTAKE_SMTP_ENABLED=false VVGINTAKE_FORM_ENABLED=false"
	echo "VVGINTAKE_NOTIFY_DIGEST_SCHEDULE="
}

# imap_env prints the overrides that point the daemon at our Dovecot.
imap_env() {
	echo "VVGINTAKE_IMAP_ENABLED=true VVGINTAKE_IMAP_HOST=127.0.0.1 VVGINTAKE_IMAP_PORT=$DOVECOT_PORT"
	echo "VVGINTAKE_IMAP_TLS=none VVGINTAKE_IMAP_ALLOW_INSECURE=true VVGINTAKE_IMAP_USERNAME=resident VVGINTAKE_IMAP_PASSWORD=secret"
}

# smtp_env prints the overrides that point the daemon at our Mailpit.
smtp_env() {
	echo "VVGINTAKE_SMTP_ENABLED=true VVGINTAKE_SMTP_HOST=127.0.0.1 VVGINTAKE_SMTP_PORT=$SMTP_PORT"
	echo "VVGINTAKE_SMTP_TLS=none VVGINTAKE_SMTP_ALLOW_INSECURE=true VVGINTAKE_SMTP_AUTH=none"
}

# now prints the time in seconds with nanoseconds.
now() { date +%s.%N; }

# calc evaluates an arithmetic expression with awk (floating point).
calc() { awk "BEGIN { printf \"%.${2:-2}f\", $1 }"; }

# vmhwm PID prints the process's peak RSS in KiB (VmHWM), or "?".
vmhwm() { awk '/^VmHWM/ { print $2 }' "/proc/$1/status" 2>/dev/null || echo "?"; }

# bench_config writes $WORK/config.toml: the example configuration with the
# consultation open from a week ago to a month ahead (the form only takes
# suggestions in the window) and the examples path made absolute.
bench_config() {
	local from to
	from=$(date -u -d '7 days ago' +%F)
	to=$(date -u -d '30 days' +%F)
	sed -e "s|^opens_at = .*|opens_at = \"$from\"|" -e "s|^closes_at = .*|closes_at = \"$to\"|" \
		-e "s|\"classify/examples/|\"$REPO/classify/examples/|" "$REPO/config.example.toml" >"$WORK/config.toml"
	CONFIG=$WORK/config.toml
}

# wait_http URL waits until URL answers 200.
wait_http() {
	for _ in $(seq 200); do
		curl -fsS -o /dev/null "$1" 2>/dev/null && return
		sleep 0.05
	done
	die "$1 did not answer"
}
