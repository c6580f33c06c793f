namespace Vicreg.Data.Audio;

/// <summary>A file that is not a WAV this project can read. The message is one line, without the path
/// (the caller names the file).</summary>
public sealed class AudioDecodeException(string message) : Exception(message);
