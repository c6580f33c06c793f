using Vicreg.Encoders;
using Vicreg.Training.Config;

namespace Vicreg.Training.Model;

/// <summary>Builds the joint embedding a config describes. Call after seeding torch for repeatable weights.</summary>
public static class ModelFactory
{
    /// <summary>The joint embedding, plus a momentum target of branch A when <paramref name="method"/> keeps one
    /// (BYOL) and the method's own modules (SwAV's prototypes), so that checkpoints written by such a run load into it.</summary>
    public static JointEmbedding Build(ModelConfig model, MethodConfig? method = null)
    {
        var joint = BuildBranches(model);
        if (method?.Entry.Capabilities.MomentumTarget == true) joint.AttachMomentumTarget(new Branch(BuildEncoder(model.BranchA), model.BranchA.Expander, "target",
            expanderBatchNorm: model.BranchA.ExpanderBatchNorm, normalizeEmbedding: model.BranchA.NormalizeEmbedding));
        if (method is not null)
            foreach (var (name, module) in method.Entry.CreateModules(method.Options, joint.A.Expander.OutputDim))
                joint.AttachMethodModule(name, module);
        return joint;
    }

    static JointEmbedding BuildBranches(ModelConfig model)
    {
        var a = BuildBranch(model.BranchA, "branch_a");
        if (model.Shared) return JointEmbedding.SharedBranch(a);
        // Unshared with no branch_b: the same architecture with its own weights (Table 5's "DW").
        return JointEmbedding.Unshared(a, BuildBranch(model.BranchB ?? model.BranchA, "branch_b"));
    }

    public static Branch BuildBranch(BranchConfig c, string name) =>
        new(BuildEncoder(c), c.Expander, name, c.Predictor, c.ExpanderBatchNorm, c.NormalizeEmbedding);

    public static Encoder BuildEncoder(BranchConfig c) =>
        EncoderCatalog.Create(new EncoderSpec(c.Encoder, c.InChannels, c.ZeroInitResidual, c.Stem, c.BaseWidth, c.Mel, c.SpecAugment));
}
