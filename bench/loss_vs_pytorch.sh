#!/usr/bin/env bash
# Side by side on this machine: the VICReg loss (fwd+bwd) in this project (TorchSharp, libtorch 2.10)
# and in PyTorch (Debian's python3-torch, bench/reference/loss_bench.py), each in the D×D form of the
# official code and the Gram form, at the same thread count. `vicreg bench loss` runs the PyTorch side
# itself and prints medians and ratios.
# Usage: bash bench/loss_vs_pytorch.sh [N] [D] [REPEATS]      one point (default 256 8192 3)
#        bash bench/loss_vs_pytorch.sh --sweep [NS] [DS]       a grid, e.g. --sweep 64,256,1024 256,1024,2048
set -euo pipefail
cd "$(dirname "$0")/.."
out=bench/results; mkdir -p "$out"
dotnet build src/Cli -c Release -v q -nologo >/dev/null
vicreg="dotnet src/Cli/bin/Release/net10.0/vicreg.dll"
if [ "${1:-}" = "--sweep" ]; then
  $vicreg bench loss --sweep ${2:+--ns "$2"} ${3:+--ds "$3"} --csv "$out/loss-sweep.csv"
else
  n=${1:-256}; d=${2:-8192}; repeats=${3:-3}
  $vicreg bench loss --n "$n" --d "$d" --repeats "$repeats" --csv "$out/loss-$n-$d.csv"
fi
