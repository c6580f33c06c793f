using TorchSharp;
using static TorchSharp.torch;

namespace Vicreg.Training.Model;

/// <summary>
/// Branch A and branch B. Shared: one object used for both views (the paper's default for images).
/// Unshared: two objects that may differ in weights, architecture and modality (Table 5, audio).
/// Shared or not is a property of the instance, not a subclass, so the trainer treats both alike.
/// State-dict keys: "a.*" always; "b.*" only when unshared.
/// </summary>
public sealed class JointEmbedding : nn.Module<Tensor, Tensor, (Tensor EmbeddingA, Tensor EmbeddingB)>
{
    private readonly Branch a;
    private readonly Branch? b;

    private JointEmbedding(Branch a, Branch? b) : base(nameof(JointEmbedding))
    {
        this.a = a;
        this.b = b;
        RegisterComponents();
    }

    /// <summary>One branch, applied to both views.</summary>
    public static JointEmbedding SharedBranch(Branch branch) => new(branch, null);

    /// <summary>Two independent branches. Their embeddings must have the same width for the loss.</summary>
    public static JointEmbedding Unshared(Branch a, Branch b)
    {
        if (ReferenceEquals(a, b))
            throw new ArgumentException("unshared branches must be two different objects; use SharedBranch for weight sharing");
        if (a.Expander.OutputDim != b.Expander.OutputDim)
            throw new ArgumentException(
                $"the two branches must embed to the same width for the loss; branch_a's expander gives {a.Expander.OutputDim}, branch_b's gives {b.Expander.OutputDim}");
        return new JointEmbedding(a, b);
    }

    /// <summary>BYOL's momentum target (state-dict keys target.*): a copy of branch A without predictor,
    /// never trained by the optimizer, moved towards branch A after every step. Null for other methods.</summary>
    public Branch? Target { get; private set; }

    /// <summary>Registers <paramref name="target"/> as the momentum target, starting from branch A's weights
    /// and frozen (requires_grad = false). It must have branch A's architecture.</summary>
    public void AttachMomentumTarget(Branch target)
    {
        if (Target is not null) throw new InvalidOperationException("the momentum target is already attached");
        var online = OnlineParameters();
        var copy = target.named_parameters().Select(x => x.parameter).ToArray();
        if (online.Length != copy.Length || !online.Zip(copy).All(x => x.First.shape.SequenceEqual(x.Second.shape)))
            throw new ArgumentException("the momentum target must have branch A's architecture");
        using (no_grad())
            foreach (var (source, destination) in online.Zip(copy)) destination.copy_(source);
        foreach (var p in target.parameters()) p.requires_grad = false;
        register_module("target", target);
        Target = target;
    }

    /// <summary>
    /// Each momentum-target parameter with its online counterpart in branch A (empty without a target),
    /// looked up anew on every call: <c>Module.to</c> replaces (and disposes) every Parameter object when
    /// the device or dtype changes, so pairs captured once would update tensors the model no longer holds.
    /// </summary>
    public IReadOnlyList<(Tensor Online, Tensor Target)> TargetPairs =>
        Target is null ? Array.Empty<(Tensor, Tensor)>()
            : OnlineParameters().Zip(Target.named_parameters().Select(x => (Tensor)x.parameter)).ToArray();

    private readonly Dictionary<string, nn.Module> methodModules = new(StringComparer.Ordinal);

    /// <summary>Registers a method's own trainable module (SwAV's prototypes) under <paramref name="name"/>
    /// (state-dict keys name.*), so that the optimizer trains it and checkpoints hold it.</summary>
    public void AttachMethodModule(string name, nn.Module module)
    {
        if (name is "a" or "b" or "target" || methodModules.ContainsKey(name))
            throw new ArgumentException($"a method module cannot be called \"{name}\": the name is taken", nameof(name));
        register_module(name, module);
        methodModules[name] = module;
    }

    /// <summary>The method module called <paramref name="name"/>, or null.</summary>
    public nn.Module? MethodModule(string name) => methodModules.GetValueOrDefault(name);

    /// <summary>Branch A's encoder and expander parameters, in the target's order (its state-dict order: backbone.*, projector.*).</summary>
    private Tensor[] OnlineParameters() =>
        a.Encoder.named_parameters().Concat(a.Expander.named_parameters()).Select(x => (Tensor)x.parameter).ToArray();

    public bool Shared => b is null;
    public Branch A => a;
    public Branch B => b ?? a;

    /// <summary>Multi-crop: the embeddings [B, D] of every local view, group by group in order, each group's views
    /// embedded in one forward of its branch (A, or B for a group of branch B's).</summary>
    public IReadOnlyList<Tensor> EmbedLocalViews(IReadOnlyList<Vicreg.Data.LocalViews> locals)
    {
        var embeddings = new List<Tensor>();
        foreach (var group in locals)
        {
            using var scope = NewDisposeScope();
            var (_, z) = (group.BranchB ? B : A).call(group.Views);
            embeddings.AddRange(z.chunk(group.Count, 0).Select(v => v.MoveToOuterDisposeScope()));
        }
        return embeddings;
    }

    public override (Tensor EmbeddingA, Tensor EmbeddingB) forward(Tensor viewA, Tensor viewB)
    {
        using var scope = NewDisposeScope();
        var (_, za) = A.call(viewA);
        var (_, zb) = B.call(viewB);
        return (za.MoveToOuterDisposeScope(), zb.MoveToOuterDisposeScope());
    }
}
