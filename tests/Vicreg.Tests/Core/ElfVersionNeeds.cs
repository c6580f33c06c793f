using System.Text;

namespace Vicreg.Tests.Core;

/// <summary>Reads .gnu.version_r of an ELF64 file: an independent check of the build's patch step.</summary>
internal static class ElfVersionNeeds
{
    /// <summary>true if the version need is present and weak, false if present and strong, null if absent.</summary>
    public static bool? IsWeak(string path, string version)
    {
        var b = File.ReadAllBytes(path);
        long shoff = BitConverter.ToInt64(b, 0x28);
        int shentsize = BitConverter.ToUInt16(b, 0x3A), shnum = BitConverter.ToUInt16(b, 0x3C);
        for (int i = 0; i < shnum; i++)
        {
            int sh = (int)(shoff + (long)i * shentsize);
            if (BitConverter.ToUInt32(b, sh + 4) != 0x6ffffffe) continue;
            int sec = (int)BitConverter.ToInt64(b, sh + 0x18);
            int link = (int)BitConverter.ToUInt32(b, sh + 0x28), count = (int)BitConverter.ToUInt32(b, sh + 0x2C);
            int str = (int)BitConverter.ToInt64(b, (int)(shoff + (long)link * shentsize) + 0x18);
            for (int n = 0, vn = sec; n < count; n++, vn += (int)BitConverter.ToUInt32(b, vn + 12))
                for (int a = 0, aux = vn + (int)BitConverter.ToUInt32(b, vn + 8); a < BitConverter.ToUInt16(b, vn + 2); a++, aux += (int)BitConverter.ToUInt32(b, aux + 12))
                {
                    int name = str + (int)BitConverter.ToUInt32(b, aux + 8), end = name;
                    while (b[end] != 0) end++;
                    if (Encoding.ASCII.GetString(b, name, end - name) == version)
                        return (BitConverter.ToUInt16(b, aux + 4) & 0x2) != 0;
                }
        }
        return null;
    }
}
