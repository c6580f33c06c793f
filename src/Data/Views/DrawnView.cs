namespace Vicreg.Data.Views;

/// <summary>
/// What one training view drew from its random stream (crop, flip, factors, gain…), reported on request for
/// <c>vicreg preview</c> and tests. Asking for it never changes the view or the stream: the augmenters draw exactly
/// as they do without it, and only build this record at the end.
/// </summary>
public abstract record DrawnView
{
    /// <summary>A few short lines for a caption under the view.</summary>
    public abstract IReadOnlyList<string> Describe();
}
