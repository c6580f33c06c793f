#!/usr/bin/env bash
# Crash-safety soak: run a small pretraining, SIGKILL it at a random moment, run the same command again,
# and require the finished loss column to equal an uninterrupted run's bit for bit. Repeats TRIALS times
# (the test suite does 5). Usage: bash bench/kill_resume.sh [TRIALS=20]
set -euo pipefail
cd "$(dirname "$0")/.."
trials=${1:-20}
work=$(mktemp -d); trap 'rm -rf "$work"' EXIT
dotnet build src/Cli -c Release -v q -nologo >/dev/null
vicreg="dotnet $PWD/src/Cli/bin/Release/net10.0/vicreg.dll"
settings=(--set device=cpu --set seed=3 --set data.kind=synthetic-images --set "data.synthetic.root=$work/data"
  --set data.synthetic.classes=2 --set data.synthetic.train_per_class=16 --set data.synthetic.val_per_class=4
  --set data.synthetic.size=24 --set data.image_size=16 --set model.branch_a.expander=32-32
  --set optim.batch_size=8 --set optim.epochs=3 --set optim.warmup_epochs=1 --set output.checkpoint_every_steps=1
  --set eval.linear_probe=false --set "output.runs_dir=$work/runs")
losses() { cut -d, -f4 "$work/runs/$1/stats.csv"; }

(cd "$work" && $vicreg pretrain "${settings[@]}" --set name=reference >/dev/null 2>&1)
reference=$(losses reference)
steps=$(($(echo "$reference" | wc -l) - 1))
passed=0; killed=0
for t in $(seq 1 "$trials"); do
  name="trial$t"
  (cd "$work" && exec $vicreg pretrain "${settings[@]}" --set name=$name >/dev/null 2>&1) & pid=$!
  target=$((RANDOM % (steps - 1) + 1))
  while kill -0 $pid 2>/dev/null; do
    stats="$work/runs/$name/stats.csv"; rows=0
    [ -f "$stats" ] && rows=$(( $(wc -l < "$stats") - 1 ))
    if [ "$rows" -ge "$target" ]; then pkill -KILL -P $pid 2>/dev/null || true; kill -KILL $pid 2>/dev/null || true; killed=$((killed + 1)); break; fi
    sleep 0.02
  done
  wait $pid 2>/dev/null || true
  (cd "$work" && $vicreg pretrain "${settings[@]}" --set name=$name >/dev/null 2>&1)
  if [ "$(losses $name)" == "$reference" ]; then passed=$((passed + 1)); echo "trial $t: killed after $target logged steps, resumed: identical";
  else echo "trial $t: killed after $target logged steps, resumed: DIFFERENT"; fi
done
echo "$passed of $trials trials bit-identical after resume ($killed killed mid-run, $steps steps each)"
[ "$passed" -eq "$trials" ]
