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

    public bool Shared => b is null;
    public Branch A => a;
    public Branch B => b ?? a;

    public override (Tensor EmbeddingA, Tensor EmbeddingB) forward(Tensor viewA, Tensor viewB)
    {
        using var scope = NewDisposeScope();
        var (_, za) = A.call(viewA);
        var (_, zb) = B.call(viewB);
        return (za.MoveToOuterDisposeScope(), zb.MoveToOuterDisposeScope());
    }
}
