#!/usr/bin/env bash
# The GPU check, in one command, from the unpacked bundle (bash bench/gpu/pack.sh builds it):
#   ./check.sh         on a machine with an NVIDIA GPU and PyTorch: everything on cuda, at full size
#   ./check.sh --cpu   the same steps on the CPU at small sizes (proves the bundle without a GPU)
# Environment (both optional): VICREG_PYTHON, the Python whose PyTorch is used (default: python3 on PATH);
# VICREG_LIBTORCH_DIR, the libtorch lib folder vicreg runs on (default: that PyTorch's torch/lib).
# Writes results/*.csv, results/summary.md and results/check.log. No .NET is needed.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
vicreg=$here/bin/vicreg
res=$here/results
mode=gpu
case "${1:-}" in
    --cpu) mode=cpu ;;
    "") ;;
    *) echo "usage: ./check.sh [--cpu]" >&2; exit 2 ;;
esac
rm -rf "$res" && mkdir -p "$res"
exec > >(tee "$res/check.log") 2>&1
export OMP_WAIT_POLICY=${OMP_WAIT_POLICY:-PASSIVE}
failures=()
note() { echo; echo "== $*"; }
fail() { failures+=("$1"); echo "FAILED: $1"; }
kv() { printf '%s,"%s"\n' "$1" "${2//\"/\'}" >> "$res/environment.csv"; echo "$1: $2"; }
echo "key,value" > "$res/environment.csv"

# ---- 1. GPU, PyTorch and libtorch -------------------------------------------------------------------
note "environment ($mode)"
kv bundle "$(cat "$here/VERSION" 2>/dev/null || echo unknown)"
kv host "$(uname -srm), $(nproc) cores"
python=${VICREG_PYTHON:-$(command -v python3 || true)}
torch_info=""
if [ -n "$python" ]; then
    torch_info=$("$python" -c 'import os, torch; print(torch.__version__); print(torch.version.cuda or "none"); print(os.path.join(os.path.dirname(torch.__file__), "lib")); print(torch.cuda.is_available()); print(torch.cuda.get_device_name(0) if torch.cuda.is_available() else "none")' 2>/dev/null || true)
fi
if [ -n "$torch_info" ]; then
    mapfile -t t <<< "$torch_info"
    kv pytorch "${t[0]} (CUDA ${t[1]}) at $python"
    kv pytorch_cuda_available "${t[3]}"
    kv pytorch_gpu "${t[4]}"
    torch_lib=${t[2]}
else
    kv pytorch "not found (${python:-no python3}); set VICREG_PYTHON to a Python with torch for the reference figures"
    torch_lib=""
fi
if command -v nvidia-smi > /dev/null; then
    kv gpu "$(nvidia-smi --query-gpu=name,driver_version,memory.total --format=csv,noheader | head -1)"
else
    kv gpu "none (no nvidia-smi)"
fi
libdir=${VICREG_LIBTORCH_DIR:-$torch_lib}
if [ -z "$libdir" ] || [ ! -f "$libdir/libtorch_cpu.so" ]; then
    echo "check.sh: no libtorch: set VICREG_LIBTORCH_DIR to a folder holding libtorch_cpu.so, or VICREG_PYTHON to a Python with PyTorch 2.10"
    exit 2
fi
export VICREG_LIBTORCH_DIR=$libdir
libtorch_version=unknown
if [ -n "$torch_lib" ] && [ "$(cd "$libdir" && pwd -P)" = "$(cd "$torch_lib" 2>/dev/null && pwd -P)" ]; then libtorch_version="${t[0]} (PyTorch's)"
elif [ -f "$libdir/../build-version" ]; then libtorch_version=$(cat "$libdir/../build-version")
elif compgen -G "$libdir/../../../*.nuspec" > /dev/null; then libtorch_version=$(sed -n 's:.*<version>\(.*\)</version>.*:\1:p' "$libdir"/../../../*.nuspec | head -1)" (NuGet)"
fi
kv libtorch "$libdir, version $libtorch_version"
kv shim_built_for "libtorch 2.10 (TorchSharp 0.107)"

# ---- does TorchSharp's native shim bind to this libtorch? -------------------------------------------
shim=$here/bin/libLibTorchSharp.so
binding=$(LD_LIBRARY_PATH="$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}" ldd -r "$shim" 2>&1)
missing_libs=$(grep -c "=> not found" <<< "$binding" || true) # a "weak version … not found" warning is harmless
undefined=$(grep -o "undefined symbol: [^[:space:]]*" <<< "$binding" | awk '{print $3}' | grep -v "^_ZSt21ios_base_library_initv" | sort -u)
count=$(grep -c . <<< "$undefined" || true)
if [ "$missing_libs" -gt 0 ] || [ "$count" -gt 0 ]; then
    first=$(head -3 <<< "$undefined" | (command -v c++filt > /dev/null && c++filt || cat) | paste -sd ';' -)
    libs=$(grep "=> not found" <<< "$binding" | awk '{print $1}' | paste -sd ' ' -)
    echo "check.sh: libLibTorchSharp.so does not bind to $libdir (libtorch $libtorch_version): $count missing symbol(s)${first:+, first: $first}${libs:+; missing libraries: $libs}. TorchSharp 0.107 needs libtorch 2.10: install PyTorch 2.10 (pip install torch==2.10.*) or build the shim against this libtorch."
    kv shim_binds "no: $count missing symbols"
    exit 3
fi
kv shim_binds "yes (ldd -r: no missing symbols)"

if [ "$mode" = gpu ]; then device=cuda; else device=cpu; fi
"$vicreg" devices | tee "$res/devices.txt" || { echo "check.sh: vicreg does not start on $libdir"; exit 4; }
if [ "$mode" = gpu ] && ! grep -q "^cuda: available" "$res/devices.txt"; then
    echo "check.sh: this libtorch sees no GPU (see above); ./check.sh --cpu runs the CPU version"
    exit 4
fi

# ---- 2. self-checks ---------------------------------------------------------------------------------
note "self-checks on $device: losses and gradients against the CPU, autocast, one step of each method"
"$vicreg" selfcheck --device "$device" --csv "$res/selfcheck.csv" || fail "self-checks (results/selfcheck.csv)"

# ---- 3. training-step benchmark against PyTorch with AMP --------------------------------------------
# Peak memory of one process: on a GPU its used memory (nvidia-smi, context included, for both sides
# alike); on the CPU its peak resident set (VmHWM).
peak_mib() {
    if [ "$mode" = gpu ]; then
        nvidia-smi --query-compute-apps=pid,used_memory --format=csv,noheader,nounits 2>/dev/null | awk -F', ' -v p="$1" '$1 == p { print $2 }' | head -1
    else
        awk '/VmHWM/ { print int($2 / 1024) }' "/proc/$1/status" 2>/dev/null
    fi
}
run_measured() { # output file, command…: runs it, prints the peak MiB seen to $peak
    local outfile=$1; shift
    "$@" > "$outfile" 2>&1 &
    local pid=$! m
    peak=0
    while kill -0 "$pid" 2> /dev/null; do
        m=$(peak_mib "$pid"); m=${m:-0}
        [ "$m" -gt "$peak" ] && peak=$m
        sleep 0.5
    done
    wait "$pid"
}
if [ "$mode" = gpu ]; then
    bench=(--encoder resnet50 --batch 256 --size 224 --expander 8192-8192-8192 --steps 10 --warmup 3)
else
    bench=(--encoder resnet18 --batch 16 --size 32 --expander 256-256-256 --steps 3 --warmup 1)
fi
# Both sides take the views from the same place: made on the device once ("device"), and, on a GPU, from pinned host
# memory through a non-blocking copy every step ("pinned"), as training's batches arrive.
inputs=(device); [ "$mode" = gpu ] && inputs=(device pinned)
note "training step: ${bench[*]} on $device, views: ${inputs[*]}"
echo "impl,encoder,batch,size,expander,precision,device,input,threads,median_step_s,steps_per_s,samples_per_s,peak_mib" > "$res/train-bench.csv"
for input in "${inputs[@]}"; do
for precision in bf16 fp32; do
    tag=$precision-$input
    if run_measured "$res/bench-$tag-ours.txt" "$vicreg" bench train "${bench[@]}" --precision "$precision" --device "$device" --input "$input" --no-reference --csv "$res/bench-$tag-ours.csv"; then
        row=$(tail -1 "$res/bench-$tag-ours.csv")
        echo "$row,$peak" >> "$res/train-bench.csv"
        echo "this project, $precision, views $input: $(grep "this project" "$res/bench-$tag-ours.txt" | sed 's/^ *//'), peak ${peak} MiB"
    else
        cat "$res/bench-$tag-ours.txt"; fail "training-step benchmark, $precision, views $input (results/bench-$tag-ours.txt)"
    fi
    if [ -n "$torch_info" ]; then
        pydev=$device; [ "$mode" = gpu ] && pydev=cuda:0
        if run_measured "$res/bench-$tag-pytorch.txt" "$python" "$here/bench/reference/train_bench.py" "${bench[@]}" --precision "$precision" --device "$pydev" --input "$input" --threads "$(nproc)"; then
            row=$(grep '^pytorch' "$res/bench-$tag-pytorch.txt" | tail -1)
            echo "$row,$peak" >> "$res/train-bench.csv"
            echo "PyTorch, $precision, views $input: $row, peak ${peak} MiB"
        else
            tail -3 "$res/bench-$tag-pytorch.txt"; fail "PyTorch reference, $precision, views $input (results/bench-$tag-pytorch.txt)"
        fi
    fi
done
done

# ---- 4. the quickstarts -----------------------------------------------------------------------------
workers=$(nproc); [ "$workers" -gt 16 ] && workers=16
if [ "$mode" = gpu ]; then
    image_small=(); audio_small=()
else
    image_small=(--set optim.epochs=2 data.synthetic.classes=4 data.synthetic.train_per_class=32 data.synthetic.val_per_class=8 optim.batch_size=32 model.branch_a.base_width=8 eval.epochs=20 eval.knn_every=0)
    audio_small=(--set optim.epochs=2 data.audio.synthetic.classes=4 data.audio.synthetic.train_per_class=16 data.audio.synthetic.val_per_class=8 optim.batch_size=16 eval.epochs=20)
fi
common=(--device "$device" --set "output.runs_dir=$res/runs" "data.workers=$workers")
note "image quickstart on $device"
start=$(date +%s)
"$vicreg" quickstart "${common[@]}" --set "data.synthetic.root=$res/data/synthetic-images" "${image_small[@]}" > "$res/quickstart-image.txt" 2>&1 || fail "image quickstart (results/quickstart-image.txt)"
echo "$(( $(date +%s) - start )) s"; grep "What it learned" "$res/quickstart-image.txt" || tail -5 "$res/quickstart-image.txt"
note "audio quickstart on $device"
start=$(date +%s)
"$vicreg" pretrain --config "$here/bin/experiments/audio/quickstart.json" "${common[@]}" --set "data.audio.synthetic.root=$res/data/synthetic-audio" "${audio_small[@]}" > "$res/quickstart-audio.txt" 2>&1 || fail "audio quickstart (results/quickstart-audio.txt)"
echo "$(( $(date +%s) - start )) s"; grep "What it learned" "$res/quickstart-audio.txt" || tail -5 "$res/quickstart-audio.txt"
note "SwAV on $device (the image quickstart's data)"
start=$(date +%s)
swav=(--set name=swav method.name=swav method.prototypes=64 method.queue_length=0 optim.epochs=2 eval.linear_probe=false "data.synthetic.root=$res/data/synthetic-images")
[ "$mode" = cpu ] && swav+=(data.synthetic.classes=4 data.synthetic.train_per_class=32 data.synthetic.val_per_class=8 optim.batch_size=32 model.branch_a.base_width=8 eval.knn_every=0)
if "$vicreg" quickstart "${common[@]}" "${swav[@]}" > "$res/swav.txt" 2>&1 && [ -f "$res/runs/swav/stats.csv" ]; then
    echo "$(( $(date +%s) - start )) s, $(( $(wc -l < "$res/runs/swav/stats.csv") - 1 )) steps, last loss $(tail -1 "$res/runs/swav/stats.csv" | cut -d, -f4)"
else
    tail -5 "$res/swav.txt"; fail "SwAV run (results/swav.txt)"
fi
{ echo "quickstart,line"; for q in image audio; do grep "What it learned" "$res/quickstart-$q.txt" | sed "s/^/$q,\"/; s/$/\"/"; done; } > "$res/quickstarts.csv"

# ---- 4b. two processes through NCCL (a box with 2 GPUs or more, and Open MPI's mpirun) ----------------
gpus=0; [ "$mode" = gpu ] && gpus=$(nvidia-smi --list-gpus 2>/dev/null | grep -c '^GPU' || true)
nccl_note="not run: $([ "$mode" = cpu ] && echo "--cpu" || echo "$gpus GPU(s)")"
if [ "$mode" = gpu ] && [ "$gpus" -ge 2 ]; then
    if ! command -v mpirun > /dev/null; then
        nccl_note="not run: no mpirun on PATH (apt-get install openmpi-bin)"
    else
        # libnccl.so.2 from PyTorch's wheels (site-packages/nvidia/nccl/lib) when it is not on the loader's path.
        nccl_lib=$("$python" -c 'import nvidia.nccl, os; print(os.path.join(list(nvidia.nccl.__path__)[0], "lib"))' 2>/dev/null || true)
        export LD_LIBRARY_PATH="${nccl_lib:+$nccl_lib:}$libdir${LD_LIBRARY_PATH:+:$LD_LIBRARY_PATH}"
        launch=(mpirun --allow-run-as-root -np 2 -x LD_LIBRARY_PATH -x VICREG_LIBTORCH_DIR -x OMP_WAIT_POLICY)
        note "2 ranks through NCCL: a short image pretraining on cuda (one GPU per rank)"
        if "${launch[@]}" "$vicreg" pretrain --config "$here/bin/experiments/ablations/tiny-base.json" --device cuda \
                --set name=nccl-2rank "output.runs_dir=$res/runs" "data.synthetic.root=$res/data/synthetic-nccl" optim.epochs=1 eval.linear_probe=false \
                > "$res/nccl-2rank.txt" 2>&1 && grep -q "NCCL on cuda" "$res/nccl-2rank.txt"; then
            nccl_note="2-rank NCCL step: ran ($(grep -m1 "running on" "$res/nccl-2rank.txt"))"
        else
            tail -5 "$res/nccl-2rank.txt"; fail "2-rank NCCL pretraining (results/nccl-2rank.txt)"; nccl_note="2-rank NCCL step: FAILED"
        fi
        note "bench comm on NCCL (2 ranks)"
        if "${launch[@]}" "$vicreg" bench comm --device cuda > "$res/bench-comm-nccl.txt" 2>&1; then
            grep -E "per-step|gradients|step \(|weights at start|embedding gather" "$res/bench-comm-nccl.txt"
        else
            tail -5 "$res/bench-comm-nccl.txt"; fail "bench comm on NCCL (results/bench-comm-nccl.txt)"
        fi
    fi
fi
echo "multi-process NCCL: $nccl_note"

# ---- 5. the loss sweep: Gram (N×N) against D×D ------------------------------------------------------
note "loss sweep on $device"
if [ "$mode" = gpu ]; then sweep=(--ns 256,1024,4096 --ds 2048,8192,16384 --repeats 5); else sweep=(--ns 64,256 --ds 256,1024 --repeats 2); fi
reference=(); [ -z "$torch_info" ] && reference=(--no-reference)
"$vicreg" bench loss --sweep "${sweep[@]}" --device "$device" --csv "$res/loss-sweep.csv" "${reference[@]}" > "$res/loss-sweep.txt" 2>&1 || fail "loss sweep (results/loss-sweep.txt)"
sed -n '/^ *N  *D/,$p' "$res/loss-sweep.txt" | grep -v '^wrote'

# ---- summary ----------------------------------------------------------------------------------------
{
    echo "# vicreg GPU check ($mode)"
    echo
    echo "Run $(date -u +%Y-%m-%dT%H:%MZ) from bundle $(cat "$here/VERSION" 2>/dev/null)."
    echo
    echo "| | |"; echo "|---|---|"
    tail -n +2 "$res/environment.csv" | sed 's/^\([^,]*\),"\(.*\)"$/| \1 | \2 |/'
    echo
    echo "## Self-checks"
    echo
    if [ -f "$res/selfcheck.csv" ]; then
        echo "$(grep -c ',pass,"' "$res/selfcheck.csv") passed, $(grep -c ',fail,"' "$res/selfcheck.csv") failed (results/selfcheck.csv)."
        grep ',fail,"' "$res/selfcheck.csv" | sed 's/^/- FAIL /'
    else echo "did not run"; fi
    echo
    echo "## Training step (${bench[*]})"
    echo
    echo "| implementation | precision | views | ms/step | samples/s | peak MiB |"; echo "|---|---|---|---|---|---|"
    tail -n +2 "$res/train-bench.csv" | awk -F, '{ printf "| %s | %s | %s | %.1f | %.1f | %s |\n", $1, $6, $8, $10 * 1000, $12, $13 }'
    awk -F, 'NR > 1 { k = $6 " (views " $8 ")"; if ($1 ~ /^pytorch/) py[k] = $12; else ours[k] = $12 }
        END { for (p in ours) if (p in py) printf "\n%s: this project runs at %.2f× the speed of the same step in PyTorch%s (samples/s ours / PyTorch).\n", p, ours[p] / py[p], p ~ /^bf16/ ? " with AMP (autocast bf16)" : " (fp32, no autocast)" }' "$res/train-bench.csv"
    echo
    echo "## Quickstarts on $device"
    echo
    for q in image audio; do echo "- $q: $(grep "What it learned" "$res/quickstart-$q.txt" | paste -sd ' ' - || true)"; done
    echo "- SwAV: $([ -f "$res/runs/swav/stats.csv" ] && echo "$(( $(wc -l < "$res/runs/swav/stats.csv") - 1 )) steps" || echo "did not run")"
    echo "- multi-process NCCL: $nccl_note"
    echo
    echo "## Loss sweep (results/loss-sweep.csv)"
    echo
    echo '```'; sed -n '/^ *N  *D/,$p' "$res/loss-sweep.txt" | grep -v '^wrote'; echo '```'
    echo
    if [ ${#failures[@]} -eq 0 ]; then echo "All steps passed."; else echo "Failed: ${failures[*]}"; fi
} > "$res/summary.md"
note "wrote $res/summary.md"
if [ ${#failures[@]} -gt 0 ]; then printf 'FAILED: %s\n' "${failures[@]}"; exit 1; fi
echo "all steps passed"
