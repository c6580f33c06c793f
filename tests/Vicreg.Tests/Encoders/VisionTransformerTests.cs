using Vicreg.Encoders;
using Vicreg.Tests.Training;
using Vicreg.Training;
using Vicreg.Training.Config;
using Vicreg.Runs;
using static TorchSharp.torch;

namespace Vicreg.Tests.Encoders;

/// <summary>The ViT encoders: ViT-S/16's size, any image size, and a ResNet ↔ ViT pair (Table 5's DA R50 + ViT-S) training.</summary>
public class VisionTransformerTests
{
    [Fact]
    public void VitS16HasTheParametersOfTimmsVitSmallWithoutItsLearnedPositions()
    {
        using var vit = EncoderCatalog.Create("vit-s16");
        Assert.Equal(384, vit.OutputDim);
        // timm's vit_small_patch16_224(num_classes=0) has 21,665,664 parameters, 75,648 of them (197 × 384) its
        // learned position embedding; ours are fixed sine-cosine, so 21,590,016 remain. By hand: patch conv
        // 295,296 + class token 384 + 12 blocks × 1,774,464 + final norm 768.
        Assert.Equal(21_590_016L, vit.parameters().Sum(p => p.numel()));
    }

    [Fact]
    public void TinyVitTakesAnyImageSizeAndDependsOnEveryPatch()
    {
        manual_seed(1);
        using var vit = EncoderCatalog.Create("vit-tiny4");
        vit.eval();
        using var scope = NewDisposeScope();
        Assert.Equal(new long[] { 2, 64 }, vit.call(randn(2, 3, 16, 16)).shape);
        Assert.Equal(new long[] { 2, 64 }, vit.call(randn(2, 3, 32, 24)).shape);
        var x = randn(1, 3, 16, 16);
        var y = x.clone();
        y[0, 0, 15, 15] = tensor(5f); // the last patch only
        Assert.False(vit.call(x).allclose(vit.call(y)));
    }

    [Fact]
    public void ResNetAndVitBranchesTrainTogether()
    {
        using var tiny = new TinyExperiment();
        var c = tiny.Config("da-vit", "model.shared=false", "model.branch_a.base_width=8",
            "model.branch_b={\"encoder\": \"vit-tiny4\", \"expander\": \"32-32\"}", "optim.epochs=1", "optim.name=adamw",
            "optim.base_lr=0.001", "optim.scale_lr_with_batch=false", "eval.diagnostics=false", "output.tensorboard=false", "output.plots=false");
        var outcome = PretrainJob.Run(c, NullObserver.Instance);
        Assert.Equal(outcome.TotalSteps, outcome.StepsTaken);
    }
}
