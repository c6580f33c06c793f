namespace Vicreg.Data;

/// <summary>A labelled list of image files: the samples plus the class names their labels index.</summary>
public interface IImageSet : IReadOnlyList<ImageSample>
{
    /// <summary>Where the set comes from (a folder, or a list file).</summary>
    string Root { get; }

    /// <summary>Class names; a sample's label is an index here.</summary>
    IReadOnlyList<string> Classes { get; }
}
