#!/usr/bin/env bash
# Learning parity with PyTorch: the same preset, the same seeds, here (TorchSharp) and in PyTorch
# (bench/reference/fashion_trainer.py: the official loss, expander, views, optimizer and schedule), then the
# three linear probes of each side (pretrained, random init, raw pixels) per seed and the gap (here − PyTorch).
# The two sides draw different random numbers (weights, crops, order): compare the gap with the seeds' spread.
# Usage: bash bench/parity_vs_pytorch.sh [CONFIG] [SEEDS]   (both sides read the recipe from CONFIG alone)
#        bash bench/parity_vs_pytorch.sh experiments/fashion-mnist.json "0 1 2"
# Needs python3-torch and python3-torchvision (Debian) and the IDX files the preset names.
set -euo pipefail
cd "$(dirname "$0")/.."
config=${1:-experiments/fashion-mnist.json}; seeds=${2:-0 1 2}
export OMP_WAIT_POLICY=PASSIVE
dotnet build src/Cli -c Release -v q -nologo >/dev/null
vicreg="dotnet src/Cli/bin/Release/net10.0/vicreg.dll"
runs=bench/results/parity; mkdir -p "$runs"
echo "seed,probe,here,pytorch,gap"
for seed in $seeds; do
  name="parity-$(basename "$config" .json)-$seed"
  $vicreg pretrain --config "$config" --set seed="$seed" --set name="$name" --set output.runs_dir="$runs" \
    --set eval.compare_random_init=true --set eval.compare_raw_pixels=true --set output.plots=false >"$runs/$name.log" 2>&1
  here="$runs/$name/eval/linear_probe.csv"
  (cd bench/reference && /usr/bin/python3 fashion_trainer.py --config "../../$config" --seed "$seed") >"$runs/$name-pytorch.log" 2>&1
  for probe in pretrained random-init raw-pixels; do
    a=$(awk -F, -v p="$probe" 'NR > 1 && index($1, p) == 1 { printf "%.2f", $2; exit }' "$here")
    b=$(awk -F, -v p="$probe" '$1 == "probe" && $2 == p { printf "%.2f", $3 }' "$runs/$name-pytorch.log")
    echo "$seed,$probe,$a,$b,$(awk -v a="$a" -v b="$b" 'BEGIN { printf "%+.2f", a - b }')"
  done
done
