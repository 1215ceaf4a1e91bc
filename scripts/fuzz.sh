#!/usr/bin/env bash
# The property tests of the readers (HTML, JSON and fetched pages; glossaries, TBX, CSV and TSV; workflows;
# QA on any text; placeholders) for a long while: rounds of AUDARMA_FUZZ_CASES cases each, every round
# with fresh random inputs, until MINUTES have passed or a property fails (proptest then prints the
# smallest failing input; keep it as a unit test). CI runs the same properties briefly with `cargo test`.
#
#   scripts/fuzz.sh [MINUTES]        # default 60
set -euo pipefail
cd "$(dirname "$0")/.."
minutes="${1:-60}"
export AUDARMA_FUZZ_CASES="${AUDARMA_FUZZ_CASES:-20000}"
end=$(( $(date +%s) + minutes * 60 ))
cargo test --release --no-run -q -p audarma-ingest -p audarma-glossary -p audarma-pipeline -p audarma-qa -p audarma-text -p audarma-mt
round=0
while [ "$(date +%s)" -lt "$end" ]; do
  round=$((round + 1))
  echo "fuzz: round $round, $AUDARMA_FUZZ_CASES cases per property"
  cargo test --release -q -p audarma-ingest --test it fuzz::
  cargo test --release -q -p audarma-glossary --test it props::
  cargo test --release -q -p audarma-pipeline --test it props::
  cargo test --release -q -p audarma-qa --test it props::
  cargo test --release -q -p audarma-text --test it props::
  cargo test --release -q -p audarma-mt --lib placeholders_round_trip_losslessly
done
echo "fuzz: $round round(s) in $minutes minutes, no property failed"
