namespace Vicreg.Data.Audio;

/// <summary>Opening an audio file for a decoder: a missing or empty file becomes the same one-line reason for every format.</summary>
internal static class AudioFiles
{
    public static FileStream OpenReadable(string path)
    {
        var info = new FileInfo(path);
        if (!info.Exists) throw new AudioDecodeException("file not found");
        if (info.Length == 0) throw new AudioDecodeException("empty file (0 bytes)");
        return File.OpenRead(path);
    }
}
