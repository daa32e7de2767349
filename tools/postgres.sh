# Shell functions for a throwaway PostgreSQL server, sourced by ./test and tools/cluster
# (which define `say` and `fail` first).

# The directory of PostgreSQL's server programs (initdb, pg_ctl), the newest version's.
postgres_bin() {
    local dir
    for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V -r); do
        if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then
            echo "$dir"
            return 0
        fi
    done
    return 1
}

# Runs a command as `user`: directly when that is who we are, through runuser otherwise.
run_as() {
    local user="$1"
    shift
    if [ "$user" = "$(id -un)" ]; then
        "$@"
    else
        runuser -u "$user" -- "$@"
    fi
}

# Starts a PostgreSQL server of its own: data directory and socket in a temporary
# directory, no TCP port, no fsync; stopped and removed by stop_throwaway_postgres, which
# runs when the calling script exits (a script with an EXIT trap of its own calls it there).
# initdb refuses to run as root, so as root the server runs as the unprivileged `postgres`
# user (created when missing). Sets the variable named by $1 to the server's URL (user
# `hallbar`, no password: only this machine's users can reach the socket directory). Call
# it directly, not in $(…): the server lives as long as the shell that started it.
start_throwaway_postgres() {
    local bin dir user
    bin="$(postgres_bin)" || fail "PostgreSQL's initdb and pg_ctl are missing (Debian: apt-get install postgresql)"
    dir="$(mktemp -d /tmp/hallbar-pg.XXXXXX)"
    user="$(id -un)"
    # Removed however the script ends, also when the server fails to start.
    THROWAWAY_POSTGRES=("$user" "$bin" "$dir")
    trap stop_throwaway_postgres EXIT
    # A signal ends the script through its EXIT trap (bash runs none on a signal it does
    # not trap).
    trap 'exit 143' TERM
    trap 'exit 130' INT
    if [ "$(id -u)" -eq 0 ]; then
        user=postgres
        id -u "$user" >/dev/null 2>&1 || useradd --system --no-create-home "$user"
        # The socket directory stays the server's own (0700): root reaches it anyway, and
        # no other local user can reach the trust-authenticated superuser.
        chown "$user" "$dir"
        THROWAWAY_POSTGRES=("$user" "$bin" "$dir")
    fi
    say "starting a throwaway PostgreSQL in $dir"
    run_as "$user" "$bin/initdb" -D "$dir/data" -U hallbar --auth=trust -E UTF8 \
        --locale=C.UTF-8 >"$dir/initdb.log" 2>&1 ||
        fail "initdb failed: $(tail -5 "$dir/initdb.log")"
    run_as "$user" "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -w \
        -o "-k $dir -c listen_addresses= -c unix_socket_permissions=0700 -c max_connections=300 -c fsync=off" \
        start >/dev/null ||
        fail "PostgreSQL did not start: $(tail -5 "$dir/server.log")"
    printf -v "$1" '%s' "postgres://hallbar@localhost/postgres?host=$dir"
}

# Stops the server start_throwaway_postgres started and removes its directory.
stop_throwaway_postgres() {
    [ -n "${THROWAWAY_POSTGRES[2]:-}" ] || return 0
    local user="${THROWAWAY_POSTGRES[0]}" bin="${THROWAWAY_POSTGRES[1]}" dir="${THROWAWAY_POSTGRES[2]}"
    run_as "$user" "$bin/pg_ctl" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
    rm -rf "$dir"
    THROWAWAY_POSTGRES=()
}
