using Vicreg.Encoders;
using Vicreg.Training.Config;

namespace Vicreg.Training.Model;

/// <summary>Builds the joint embedding a config describes. Call after seeding torch for repeatable weights.</summary>
public static class ModelFactory
{
    public static JointEmbedding Build(ModelConfig model)
    {
        var a = BuildBranch(model.BranchA, "branch_a");
        if (model.Shared) return JointEmbedding.SharedBranch(a);
        // Unshared with no branch_b: the same architecture with its own weights (Table 5's "DW").
        return JointEmbedding.Unshared(a, BuildBranch(model.BranchB ?? model.BranchA, "branch_b"));
    }

    public static Branch BuildBranch(BranchConfig c, string name) =>
        new(BuildEncoder(c), c.Expander, name);

    public static Encoder BuildEncoder(BranchConfig c) =>
        EncoderCatalog.Create(new EncoderSpec(c.Encoder, c.InChannels, c.ZeroInitResidual, c.Stem, c.BaseWidth, c.Mel, c.SpecAugment));
}
