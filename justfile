# Everyday recipes. Each is a plain cargo command: the justfile is an index, never the only way.

# The demo workflow into ./audarma.db, then the review queue.
demo:
    cargo run -q -p audarma -- run workflows/demo.toml
    cargo run -q -p audarma -- queue

# The whole test suite (what CI runs, after fmt and clippy).
test:
    cargo test --workspace

# The readers' property tests for an hour (or MINUTES), fresh inputs every round; CI runs them briefly.
fuzz minutes="60":
    bash scripts/fuzz.sh {{minutes}}

# What CI runs.
ci:
    bash .ci/run

fmt:
    cargo fmt --all

lint:
    cargo clippy --workspace --all-targets -- -D warnings

# Check the shipped glossaries.
glossary-lint:
    cargo run -q -p audarma -- glossary lint glossaries

# Validate every workflow file.
workflows:
    for f in workflows/*.toml; do cargo run -q -p audarma -- workflow check "$f"; done

# Remove the local database.
reset:
    rm -f audarma.db audarma.db-shm audarma.db-wal
