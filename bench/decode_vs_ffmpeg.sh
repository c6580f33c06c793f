#!/usr/bin/env bash
# Audio decode throughput on one core, this project against ffmpeg (Debian), on the same files: 60 s of the parity
# test signal (bench/reference/make_media_fixtures.sh) encoded as 16-bit WAV, FLAC, Ogg Vorbis, Ogg Opus and MP3,
# stereo at 44.1 kHz (Opus at 48 kHz). Both decode to samples at the file's own rate without resampling; ffmpeg with
# -threads 1 into the null muxer, this project with `vicreg bench decode` (mixes to mono too). Medians of REPEATS.
# Usage: bash bench/decode_vs_ffmpeg.sh [REPEATS]
set -euo pipefail
cd "$(dirname "$0")/.."
repeats=${1:-5}
out=bench/results/decode; mkdir -p "$out"
dotnet build src/Cli -c Release -v q -nologo >/dev/null
vicreg="dotnet src/Cli/bin/Release/net10.0/vicreg.dll"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
signal="aevalsrc='0.35*sin(2*PI*330*t)+0.2*sin(2*PI*1500*t*t*0.01)|0.31*sin(2*PI*440*t)+0.1*sin(2*PI*5000*t)':s=44100:d=60"
ff -f lavfi -i "$signal" -c:a pcm_s16le "$out/signal.wav"
ff -i "$out/signal.wav" -c:a flac "$out/signal.flac"
ff -i "$out/signal.wav" -c:a libvorbis -q:a 4 "$out/signal.ogg"
ff -i "$out/signal.wav" -ar 48000 -c:a libopus -b:a 96k "$out/signal.opus"
ff -i "$out/signal.wav" -c:a libmp3lame -b:a 128k "$out/signal.mp3"
echo "== this project (one thread)"
$vicreg bench decode --files "$out" --repeats "$repeats"
echo "== ffmpeg $(ffmpeg -version | head -n 1 | cut -d' ' -f3) (-threads 1)"
for f in "$out"/signal.*; do
  times=()
  for ((r = 0; r < repeats; r++)); do
    start=$(date +%s.%N); ffmpeg -hide_banner -loglevel error -threads 1 -i "$f" -f null - ; end=$(date +%s.%N)
    times+=("$(awk -v s="$start" -v e="$end" 'BEGIN { print e - s }')")
  done
  median=$(printf '%s\n' "${times[@]}" | sort -g | sed -n "$(( (repeats + 1) / 2 ))p")
  awk -v f="$(basename "$f")" -v m="$median" 'BEGIN { printf "ffmpeg %s: median %.1f ms of '"$repeats"' (process start included), %.0f× real time\n", f, m * 1000, 60 / m }'
done
uptime
