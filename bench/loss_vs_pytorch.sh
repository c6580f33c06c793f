#!/usr/bin/env bash
# Side by side on this machine: the VICReg loss (fwd+bwd) in this project (TorchSharp, libtorch 2.10)
# and in PyTorch (Debian's python3-torch), each in the D×D form of the official code and the Gram form.
# Prints medians and ratios. Usage: bash bench/loss_vs_pytorch.sh [N] [D] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
n=${1:-256}; d=${2:-8192}; repeats=${3:-3}
out=bench/results; mkdir -p "$out"
csv="$out/loss-$n-$d.csv"; rm -f "$csv"
dotnet build src/Cli -c Release -v q -nologo >/dev/null
echo "== this project"
dotnet src/Cli/bin/Release/net10.0/vicreg.dll bench loss --n "$n" --d "$d" --repeats "$repeats" --csv "$csv"
if [ ! -x /usr/bin/python3 ] || ! /usr/bin/python3 -c 'import torch' 2>/dev/null; then
  echo "PyTorch reference not installed (apt-get install python3-torch); only this project's figures above."; exit 0
fi
echo "== PyTorch $(/usr/bin/python3 -c 'import torch; print(torch.__version__)')"
threads=$(tail -n 1 "$csv" | cut -d, -f4)   # same intra-op thread count as the C# run
py=$(/usr/bin/python3 bench/reference/loss_bench.py --n "$n" --d "$d" --repeats "$repeats" --threads "$threads")
echo "$py"
ours_gram=$(tail -n 1 "$csv" | cut -d, -f5); ours_feat=$(tail -n 1 "$csv" | cut -d, -f6)
py_gram=$(echo "$py" | grep '^gram,' | cut -d, -f5); py_feat=$(echo "$py" | grep '^feature,' | cut -d, -f5)
awk -v og="$ours_gram" -v of="$ours_feat" -v pg="$py_gram" -v pf="$py_feat" 'BEGIN {
  printf "medians (s): ours gram %.4f, ours D×D %.4f, PyTorch gram %.4f, PyTorch D×D (official) %.4f\n", og, of, pg, pf;
  printf "ours (Gram, the default at N<D) vs the official PyTorch loss: %.1f× faster\n", pf / og;
  printf "like for like: D×D %.2f× and Gram %.2f× PyTorch speed\n", pf / of, pg / og }'
