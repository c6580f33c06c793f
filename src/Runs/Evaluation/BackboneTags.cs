using Vicreg.Training.Model;

namespace Vicreg.Runs.Evaluation;

/// <summary>
/// How probe and kNN rows (and their feature caches) name a backbone, one scheme for every pairing:
/// "pretrained-step900" for shared branches; "pretrained-a-image-step900", "pretrained-b-spectrogram-step900" and
/// "pretrained-concat-step900" for unshared ones (the part after the branch letter is the form of input the encoder reads);
/// random init drops the step ("random-init", "random-init-a-image", …).
/// </summary>
public static class BackboneTags
{
    public static string Shared(string prefix, string? tag) => Join(prefix, tag);

    public static string Branch(string prefix, char side, JointEmbedding model, string? tag) =>
        Join($"{prefix}-{side}-{(side == 'a' ? model.A : model.B).Encoder.InputForm}", tag);

    public static string Concat(string prefix, string? tag) => Join($"{prefix}-concat", tag);

    private static string Join(string name, string? tag) => string.IsNullOrEmpty(tag) ? name : $"{name}-{tag}";
}
