namespace Vicreg.Data;

/// <summary>A labelled list of samples (images, clips or pairs) and the class names their labels index.</summary>
public interface ISampleSet : IReadOnlyList<Sample>
{
    /// <summary>Where the set comes from (a folder, a list file, a manifest); used in messages.</summary>
    string Source { get; }

    /// <summary>Class names; a sample's label is an index here.</summary>
    IReadOnlyList<string> Classes { get; }
}
