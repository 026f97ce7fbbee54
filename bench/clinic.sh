# Sourced by bench/run.sh and bench/export.sh: the generated clinic a run measures, reused when the folder holds one of
# this size and seed (FORCE=1 generates afresh), and the database settings of the API exported.
#   prepare_clinic   needs PROVIDER, SIZE, SEED, DIR, PG_DIR, PG_PORT and BENCH; sets CONNECTION (the SQLite folder,
#                    or the PostgreSQL connection string) and exports Database__Provider and the connection setting.
# On PostgreSQL the run's own durable cluster (.ci/postgres-cluster --durable) in PG_DIR, restarted as it was left
# when reused, with random_page_cost at RANDOM_PAGE_COST (1.1, the SSD setting docs/operations.md recommends: with the
# default of 4 the planner scans the patients for the site filter once the tables are large, docs/performance.md).
# The caller's EXIT trap stops the cluster.
STAMP="size=$SIZE seed=$SEED"
reusable() { [ "${FORCE:-0}" != 1 ] && [ -f "$DIR/generated.txt" ] && [ "$(cat "$DIR/generated.txt")" = "$STAMP" ]; }
generate() {
  local started
  started=$(date +%s)
  rm -f "$DIR/generated.txt"
  dotnet "$BENCH" generate --provider "$PROVIDER" --connection "$1" --size "$SIZE" --seed "$SEED" | tee "$DIR/generate.log"
  echo "$STAMP" >"$DIR/generated.txt"
  echo "generation: $(($(date +%s) - started)) s (wall clock, including the .NET start)"
}
prepare_clinic() {
  local server bin psql
  if [ "$PROVIDER" = postgres ]; then
    if reusable && [ -d "$PG_DIR/data" ]; then
      bin=$(dirname "$(dpkg -L postgresql-15 | grep '/bin/initdb$')")
      runuser -u postgres -- "$bin/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/log" -w \
        -o "-p $PG_PORT -k $PG_DIR -c listen_addresses=127.0.0.1 -c max_connections=300" start >&2
      server="Host=127.0.0.1;Port=$PG_PORT;Username=postgres;Database=postgres"
      echo "reusing the generated $SIZE clinic in $PG_DIR"
    else
      server=$(CLINICTRACKER_TEST_POSTGRES_PORT=$PG_PORT .ci/postgres-cluster start "$PG_DIR" --durable)
    fi
    psql=$(dpkg -L postgresql-client-15 | grep '/bin/psql$')
    runuser -u postgres -- "$psql" -h 127.0.0.1 -p "$PG_PORT" -qAt \
      -c "ALTER SYSTEM SET random_page_cost = ${RANDOM_PAGE_COST:-1.1}" -c "SELECT pg_reload_conf()" >/dev/null
    # The pool: 32 wrk connections are at most 32 requests at once, each holding one database connection; 50 leaves
    # headroom for the audit batch writers and the hosted workers (as bench/scale-out.sh).
    CONNECTION="${server/Database=postgres/Database=clinictracker_bench};Maximum Pool Size=50"
    reusable || generate "$CONNECTION"
    export Database__Provider=postgres ConnectionStrings__Clinic="$CONNECTION"
  else
    CONNECTION=$DIR
    if reusable && [ -f "$DIR/clinictracker.db" ]; then echo "reusing the generated $SIZE clinic in $DIR"; else generate "$DIR"; fi
    export Database__Provider=sqlite Database__DataDirectory="$DIR"
  fi
}
