namespace Vicreg.Data.Audio;

/// <summary>A file's sound mixed to mono at its own rate, before resampling: what each format's decoder hands to
/// <see cref="AudioDecoder"/>. <paramref name="Note"/> is something the user should know about a file that still
/// decoded (truncated, a damaged frame), or null.</summary>
internal sealed record SourceAudio(float[] Mono, int Rate, int Channels, string? Note = null);
