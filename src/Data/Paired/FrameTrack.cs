namespace Vicreg.Data.Paired;

/// <summary>
/// The frames of one clip of the video-frames layout, extracted at a constant rate, in time order: their files and
/// the time of each in the soundtrack. A training sample draws one of them; evaluation takes <see cref="Middle"/>.
/// </summary>
public sealed record FrameTrack(IReadOnlyList<string> Files, IReadOnlyList<double> Seconds)
{
    public int Count => Files.Count;

    /// <summary>The frame nearest the middle of the clip: frames at 0, 1/r, …, (n−1)/r span [0, n/r), whose middle
    /// n/(2r) is frame n/2 (half a frame early when n is odd).</summary>
    public int Middle => Count / 2;

    /// <summary>The time of frame_<paramref name="number"/> (numbered from 1) extracted at <paramref name="fps"/>,
    /// by ffmpeg's convention: the fps filter stamps its n-th output frame (from 0) n/r, holding the input frame
    /// nearest that time (round=near), and the image2 muxer numbers files from 1 (start_number), so frame_k is
    /// at (k − 1)/r: frame_0001 at 0 s, frame_0002 at 0.5 s with fps=2.</summary>
    public static double TimeOf(int number, double fps) => (number - 1) / fps;
}
