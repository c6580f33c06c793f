#!/usr/bin/env bash
# Writes the compressed-audio fixtures of tests/fixtures/media/ and ffmpeg's decode of each (the parity reference
# of DecodeParityTests): ffmpeg (Debian) encodes one deterministic test signal in each codec, then decodes the file
# it wrote, at its own rate and channel count, interleaved: FLAC as the integers (s16le, or s32le for 24-bit, which
# ffmpeg left-justifies), the lossy codecs as float32 (f32le).
# The signal: two tones and a chirp per channel plus seeded noise, 0.4 s, so that every band is used.
# Rerun (from the repository root):  bash bench/reference/make_media_fixtures.sh
set -euo pipefail
out="$(dirname "$0")/../../tests/fixtures/media"
mkdir -p "$out"
ff() { ffmpeg -hide_banner -loglevel error -y "$@"; }
signal() { # rate channels
  local rate=$1 channels=$2 expr="" c
  for ((c = 0; c < channels; c++)); do
    expr+="${expr:+|}(0.35-0.04*$c)*sin(2*PI*(330+110*$c)*t)+0.2*sin(2*PI*(1500+400*$c)*t*t*4)+0.1*sin(2*PI*5000*t)"
  done
  echo "aevalsrc='$expr':s=$rate:d=0.4[s];anoisesrc=seed=7:a=0.05:r=$rate:d=0.4,aformat=channel_layouts=mono,asplit=$channels$(for ((c = 0; c < channels; c++)); do printf '[n%d]' $c; done);$(for ((c = 0; c < channels; c++)); do printf '[n%d]' $c; done)amerge=inputs=$channels[n];[s][n]amix=inputs=2:normalize=0"
}
encode() { # name rate channels codec-args... (the extension is the name's)
  local name=$1 rate=$2 channels=$3; shift 3
  ff -f lavfi -i "$(signal "$rate" "$channels")" "$@" "$out/$name"
}
encode flac16-stereo-lpc.flac 44100 2 -c:a flac -sample_fmt s16 -compression_level 12
encode flac24-mono-fixed.flac 16000 1 -c:a flac -sample_fmt s32 -bits_per_raw_sample 24 -compression_level 0
encode flac16-six-channel.flac 8000 6 -c:a flac -sample_fmt s16 -compression_level 5
# Ogg pages of 50 ms (the muxer's default is 1 s, which would put the whole clip on one page): a file cut short
# then still holds whole pages, as a longer real file does.
encode vorbis-stereo.ogg 44100 2 -c:a libvorbis -q:a 4 -page_duration 50000
encode opus-stereo.opus 48000 2 -c:a libopus -b:a 96k -page_duration 50000
encode opus-mono.opus 48000 1 -c:a libopus -b:a 32k -page_duration 50000
encode mp3-stereo.mp3 44100 2 -c:a libmp3lame -b:a 128k
encode mp3-mono-mpeg2.mp3 22050 1 -c:a libmp3lame -b:a 48k
for f in "$out"/*.flac; do
  bits=$(ffprobe -v error -select_streams a:0 -show_entries stream=bits_per_raw_sample -of csv=p=0 "$f")
  if [ "$bits" = 16 ]; then ff -i "$f" -f s16le "${f%.*}.ffmpeg.s16"; else ff -i "$f" -f s32le "${f%.*}.ffmpeg.s32"; fi
done
for f in "$out"/*.ogg "$out"/*.opus "$out"/*.mp3; do
  # Opus through libopus, the reference decoder that Concentus ports: ffmpeg's own Opus decoder resamples SILK
  # frames differently, and the two differ by 17% RMS on SILK-coded (low-rate speech-band) files.
  case "$f" in *.ogg) dec=vorbis ;; *.opus) dec=libopus ;; *.mp3) dec=mp3float ;; esac
  ff -c:a "$dec" -i "$f" -f f32le "${f%.*}.ffmpeg.f32"
done
ls -l "$out"
