using CsvHelper;

namespace Vicreg.Data;

/// <summary>CsvHelper's exceptions carry a multi-line dump of the reader's state; a user needs the file, the line and the first sentence.</summary>
internal static class CsvErrors
{
    public static InvalidDataException OneLine(string file, CsvHelperException e)
    {
        string first = e.Message.Split('\n')[0].Trim();
        var row = e.Context?.Parser?.RawRow;
        return new InvalidDataException(row is > 0 ? $"{file}:{row}: {first}" : $"{file}: {first}", e);
    }
}
