#!/usr/bin/env bash
# Builds bench/gpu/out/vicreg-gpu-check.tar.gz (at most 60 MiB): a self-contained vicreg for linux-x64 that
# needs no .NET and no libicu on the target and carries no libtorch (it runs on the target's PyTorch through
# VICREG_LIBTORCH_DIR), the PyTorch reference scripts, and check.sh. Usage: bash bench/gpu/pack.sh
set -euo pipefail
here=$(cd "$(dirname "$0")" && pwd)
repo=$(cd "$here/../.." && pwd)
out=$here/out
work=$out/work
stage=$work/vicreg-gpu-check
rm -rf "$work" && mkdir -p "$stage" "$work/src"

# Publish from a copy of the tree: the linux-x64 restore must not rewrite the developer's obj/ folders.
(cd "$repo" && tar --exclude=./.git --exclude=./bench/gpu/out --exclude=./runs --exclude=./data \
    --exclude='bin' --exclude='obj' -cf - .) | tar -xf - -C "$work/src"
dotnet publish "$work/src/src/Cli/Vicreg.Cli.csproj" -nologo -v quiet -c Release -r linux-x64 --self-contained \
    -p:TorchBackend=external -p:DebugType=none -p:GenerateDocumentationFile=false -p:InvariantGlobalization=true -o "$stage/bin"
# Minimal CUDA containers have no libicu: the bundle runs in .NET's invariant globalization mode (vicreg formats
# numbers and dates with the invariant culture anyway).
grep -q '"System.Globalization.Invariant": true' "$stage/bin/vicreg.runtimeconfig.json" \
    || { echo "pack.sh: the publish did not switch on invariant globalization (vicreg.runtimeconfig.json)" >&2; exit 1; }
# Only a debugger uses these parts of the runtime.
rm -f "$stage/bin/libmscordaccore.so" "$stage/bin/libmscordbi.so" "$stage/bin/createdump" "$stage/bin/libcoreclrtraceptprovider.so"
if compgen -G "$stage/bin/libtorch*" > /dev/null || compgen -G "$stage/bin/libc10*" > /dev/null; then
    echo "pack.sh: the published folder carries a libtorch; it must take the target's (TorchBackend=external)" >&2
    exit 1
fi
test -f "$stage/bin/experiments/audio/quickstart.json" || { echo "pack.sh: experiments/ missing from the publish" >&2; exit 1; }

mkdir -p "$stage/bench/reference"
cp "$repo/bench/reference/train_bench.py" "$repo/bench/reference/loss_bench.py" "$stage/bench/reference/"
cp "$here/check.sh" "$stage/check.sh"
chmod +x "$stage/check.sh" "$stage/bin/vicreg"
git -C "$repo" describe --always --dirty > "$stage/VERSION" 2>/dev/null || echo unknown > "$stage/VERSION"

tar -C "$work" -czf "$out/vicreg-gpu-check.tar.gz" vicreg-gpu-check
rm -rf "$work"
size=$(stat -c %s "$out/vicreg-gpu-check.tar.gz")
limit=$((60 * 1024 * 1024))
awk -v s="$size" -v f="$out/vicreg-gpu-check.tar.gz" 'BEGIN { printf "wrote %s: %.1f MiB (limit 60 MiB)\n", f, s / 1048576 }'
if [ "$size" -gt "$limit" ]; then echo "pack.sh: the bundle is over 60 MiB" >&2; exit 1; fi
echo "on the GPU box: tar xzf vicreg-gpu-check.tar.gz && cd vicreg-gpu-check && ./check.sh"
