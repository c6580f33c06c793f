#!/usr/bin/env bash
# Side by side on this machine: log-mel spectrograms (STFT → mel → log → [0, 1]) in this project (TorchSharp,
# libtorch 2.10) and in torchaudio 0.13 (Debian's python3-torchaudio), on the same generated WAV clips,
# same settings and thread count. Prints medians and the ratio.
# Usage: bash bench/logmel_vs_torchaudio.sh [CLIPS_PER_CLASS] [SECONDS] [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
per_class=${1:-26}; seconds=${2:-5}; repeats=${3:-5}
out=bench/results; mkdir -p "$out"
clips="$out/logmel-clips"; csv="$out/logmel.csv"; rm -f "$csv"
dotnet build src/Cli -c Release -v q -nologo >/dev/null
vicreg="dotnet src/Cli/bin/Release/net10.0/vicreg.dll"
$vicreg synth audio --out "$clips" --classes 10 --train-per-class "$per_class" --val-per-class 1 --seconds "$seconds" --sample-rate 16000 >/dev/null
echo "== this project"
$vicreg bench logmel --clips "$clips/train" --repeats "$repeats" --csv "$csv"
if ! /usr/bin/python3 -c 'import torchaudio' 2>/dev/null; then
  echo "torchaudio not installed (apt-get install python3-torchaudio); only this project's figures above."; exit 0
fi
threads=$(tail -n 1 "$csv" | cut -d, -f5)
echo "== torchaudio $(/usr/bin/python3 -c 'import torchaudio; print(torchaudio.__version__)') ($threads threads)"
py=$(/usr/bin/python3 bench/reference/logmel_bench.py "$clips/train" --repeats "$repeats" --threads "$threads")
ours=$(tail -n 1 "$csv" | cut -d, -f6); theirs=$(echo "$py" | cut -d, -f6); n=$(echo "$py" | cut -d, -f1)
awk -v o="$ours" -v t="$theirs" -v n="$n" 'BEGIN {
  printf "medians: this project %.1f ms (%.0f clips/s), torchaudio %.1f ms (%.0f clips/s)\n", o * 1000, n / o, t * 1000, n / t;
  printf "ratio: this project runs at %.2f× torchaudio'"'"'s speed\n", t / o }'
