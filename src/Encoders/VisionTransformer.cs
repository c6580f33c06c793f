using TorchSharp;
using TorchSharp.Modules;
using Vicreg.Core;
using static TorchSharp.torch;
using static TorchSharp.torch.nn;

namespace Vicreg.Encoders;

/// <summary>Size of a Vision Transformer: patch side, width, depth, heads (ViT-S/16: 16, 384, 12, 6).</summary>
public sealed record VitOptions(int Patch, int Dim, int Depth, int Heads, int InChannels = 3, double MlpRatio = 4.0);

/// <summary>
/// A Vision Transformer (Dosovitskiy et al., 2021) as the paper's Table 5 pairs it with a ResNet-50 (ViT-S/16):
/// patches by a strided convolution, a class token, pre-norm blocks (LayerNorm → multi-head attention,
/// LayerNorm → GELU MLP), a final LayerNorm; the representation is the class token. Position embeddings
/// are fixed 2-D sine-cosine (as in MoCo v3), computed for the input's patch grid, so any image size works.
/// </summary>
public sealed class VisionTransformer : Encoder
{
    private readonly Conv2d patch_embed;
    private readonly Parameter cls_token;
    private readonly ModuleList<VitBlock> blocks;
    private readonly LayerNorm norm;
    private readonly VitOptions options;
    private readonly Dictionary<(long, long, DeviceType, int), Tensor> positions = new(); // per device: replicas and moved models must not share one

    public VisionTransformer(string name, VitOptions o) : base(name)
    {
        if (o.Dim % o.Heads != 0) throw new ArgumentException($"the width {o.Dim} must be divisible by the {o.Heads} heads");
        if (o.Dim % 4 != 0) throw new ArgumentException($"the width {o.Dim} must be divisible by 4 for 2-D sine-cosine positions");
        options = o;
        patch_embed = Conv2d(o.InChannels, o.Dim, o.Patch, stride: o.Patch);
        cls_token = Parameter(zeros(1, 1, o.Dim));
        blocks = new ModuleList<VitBlock>(Enumerable.Range(0, o.Depth).Select(i => new VitBlock(o.Dim, o.Heads, (int)(o.Dim * o.MlpRatio))).ToArray());
        norm = LayerNorm(o.Dim, eps: 1e-6);
        RegisterComponents();
        using (no_grad())
        {
            nn.init.normal_(cls_token, 0, 0.02);
            foreach (var (n, p) in named_parameters())
                if (n.EndsWith(".weight", StringComparison.Ordinal) && p.dim() == 2) nn.init.xavier_uniform_(p);
                else if (n.EndsWith(".bias", StringComparison.Ordinal) && !n.StartsWith("norm", StringComparison.Ordinal) && !n.Contains(".norm")) nn.init.zeros_(p);
        }
    }

    public override int OutputDim => options.Dim;
    public override string InputForm => Modalities.Image;

    /// <summary>Patch side, width, depth and heads.</summary>
    public VitOptions Options => options;

    /// <summary>The fixed position embeddings of a gh × gw patch grid, [1, gh·gw, D] float32 on the CPU (exporters
    /// write them as constants).</summary>
    public Tensor PositionEmbedding(long gh, long gw) => Positions(gh, gw, CPU, ScalarType.Float32).alias();

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        var p = patch_embed.call(x);                       // [N, D, H/P, W/P]
        long gh = p.shape[2], gw = p.shape[3];
        var tokens = p.flatten(2).transpose(1, 2);          // [N, T, D]
        tokens = tokens.Plus(Positions(gh, gw, tokens.device, tokens.dtype));
        var cls = cls_token.expand(tokens.shape[0], -1, -1);
        var h = cat(new[] { cls, tokens }, 1);
        foreach (var block in blocks) h = block.call(h);
        return norm.call(h).select(1, 0).MoveToOuterDisposeScope();
    }

    /// <summary>Fixed 2-D sine-cosine embeddings for a gh × gw grid ([1, gh·gw, D]), cached.</summary>
    private Tensor Positions(long gh, long gw, Device device, ScalarType dtype)
    {
        if (positions.TryGetValue((gh, gw, device.type, device.index), out var cached) && cached.dtype == dtype) return cached;
        int d = options.Dim, quarter = d / 4;
        var table = new float[gh * gw * d];
        for (long i = 0; i < gh; i++)
            for (long j = 0; j < gw; j++)
            {
                long row = (i * gw + j) * d;
                for (int k = 0; k < quarter; k++)
                {
                    double omega = 1.0 / Math.Pow(10000, (double)k / quarter);
                    table[row + k] = (float)Math.Sin(j * omega);
                    table[row + quarter + k] = (float)Math.Cos(j * omega);
                    table[row + 2 * quarter + k] = (float)Math.Sin(i * omega);
                    table[row + 3 * quarter + k] = (float)Math.Cos(i * omega);
                }
            }
        var t = tensor(table, new long[] { 1, gh * gw, d }).to(dtype).to(device).DetachFromDisposeScope();
        positions[(gh, gw, device.type, device.index)] = t;
        return t;
    }
}

/// <summary>One pre-norm transformer block: x + attn(ln1(x)), then x + mlp(ln2(x)).</summary>
public sealed class VitBlock : nn.Module<Tensor, Tensor>
{
    private readonly LayerNorm norm1;
    private readonly Linear qkv;
    private readonly Linear proj;
    private readonly LayerNorm norm2;
    private readonly Linear fc1;
    private readonly Linear fc2;
    private readonly int heads;
    private readonly double scale;

    public VitBlock(int dim, int heads, int hidden) : base(nameof(VitBlock))
    {
        this.heads = heads;
        scale = 1.0 / Math.Sqrt(dim / heads);
        norm1 = LayerNorm(dim, eps: 1e-6);
        qkv = Linear(dim, 3 * dim);
        proj = Linear(dim, dim);
        norm2 = LayerNorm(dim, eps: 1e-6);
        fc1 = Linear(dim, hidden);
        fc2 = Linear(hidden, dim);
        RegisterComponents();
    }

    /// <summary>Attention heads (the width is split evenly among them).</summary>
    public int Heads => heads;

    public override Tensor forward(Tensor x)
    {
        using var scope = NewDisposeScope();
        long n = x.shape[0], t = x.shape[1], d = x.shape[2];
        var parts = qkv.call(norm1.call(x)).reshape(n, t, 3, heads, d / heads).permute(2, 0, 3, 1, 4); // [3, N, H, T, hd]
        var (q, k, v) = (parts[0], parts[1], parts[2]);
        var attention = q.matmul(k.transpose(-2, -1)).Times(scale).softmax(-1);
        var mixed = attention.matmul(v).transpose(1, 2).reshape(n, t, d);
        var h = x.Plus(proj.call(mixed));
        var y = h.Plus(fc2.call(nn.functional.gelu(fc1.call(norm2.call(h)))));
        return y.MoveToOuterDisposeScope();
    }
}
