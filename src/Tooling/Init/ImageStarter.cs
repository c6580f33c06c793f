using System.Globalization;
using System.Text.Json.Nodes;
using Vicreg.Core;
using Vicreg.Data;
using Vicreg.Encoders;

namespace Vicreg.Tooling.Init;

/// <summary>Images for <c>vicreg init</c>: sizes from the headers, the view size from them, and the small image encoder
/// of the CPU quickstarts.</summary>
public sealed class ImageStarter : StarterModality
{
    private static readonly int[] ViewSizes = { 16, 24, 32, 48, 64, 96, 128 };

    public override string Modality => Modalities.Image;

    public override int BatchCap => 256;

    public override SampleSet ReadList(string list) => SampleSet.Of(new FileListDataset(list));

    public override void Measure(string path, FileMeasures into)
    {
        var info = SixLabors.ImageSharp.Image.Identify(path) ?? throw new InvalidDataException("not an image in a format this build reads");
        into.Image(info.Width, info.Height);
    }

    /// <summary>An image folder alone holds nothing out, and the probes need held-out images.</summary>
    public override bool WantsHoldOutLists(DataReport r) => r.Kind == FolderKind && r.Val is null;

    public override JsonObject Config(DataReport r, string name, int width, int batch, double minutes, (string Train, string Val)? lists, List<string> why)
    {
        double side = DataReport.Quantile(r.ImageSizes.Select(s => (double)Math.Min(s.Width, s.Height)).ToList(), 0.5);
        if (double.IsNaN(side)) side = 64;
        int cap = minutes < 60 ? 64 : 128;
        int size = ViewSizes.Where(v => v <= Math.Max(16, 0.6 * side) && v <= cap).DefaultIfEmpty(16).Max();
        double scaleMin = side <= 64 ? 0.4 : 0.2;
        why.Add($"data.image_size {size}: about 60% of the images' median shorter side ({side:0} px), at most {cap} px for a CPU budget; " +
                $"data.crop_scale_min {scaleMin.ToString(CultureInfo.InvariantCulture)}: {(side <= 64 ? "small images hold one object filling the frame" : "larger images leave room for smaller crops")}");
        string stem = size <= 64 ? "small" : "image_net";
        string encoder = EncoderCatalog.Default(Modality, EncoderDefault.Small);
        why.Add($"model: {encoder}, {(stem == "small" ? "small stem (3×3, no pool: views under 64 px)" : "ImageNet stem")}, base width {width} (a narrow net for a CPU; 64 is torchvision's), expander {width * 16}-{width * 16}-{width * 16}");
        long bytes = (long)r.TrainCount * (long)(side * side * 3);
        var data = new JsonObject
        {
            ["kind"] = lists is null ? r.Kind : ListKind,
            ["image_size"] = size, ["crop_scale_min"] = scaleMin, ["workers"] = 1, ["cache_decoded"] = bytes < 1L << 30,
        };
        if (lists is { } l) { data["train_list"] = l.Train; data["val_list"] = l.Val; why.Add($"data.train_list / data.val_list: every 5th file of each class held out for the probes ({l.Val})"); }
        else if (r.Kind == ListKind) data["train_list"] = r.Train;
        else { data["train"] = r.Train; if (r.Val is not null) data["val"] = r.Val; }
        var branch = new JsonObject { ["encoder"] = encoder };
        if (EncoderCatalog.Get(encoder).ReadsStem) branch["stem"] = stem;
        branch["base_width"] = width;
        branch["expander"] = $"{width * 16}-{width * 16}-{width * 16}";
        return new JsonObject
        {
            ["name"] = name, ["seed"] = 0, ["device"] = "auto", ["data"] = data,
            ["model"] = new JsonObject { ["shared"] = true, ["branch_a"] = branch },
            ["loss"] = new JsonObject { ["sim"] = 25, ["std"] = 25, ["cov"] = 1 },
            ["optim"] = new JsonObject { ["name"] = "adamw", ["base_lr"] = 0.006, ["weight_decay"] = 0.0001, ["batch_size"] = batch, ["scale_lr_with_batch"] = false },
        };
    }
}
