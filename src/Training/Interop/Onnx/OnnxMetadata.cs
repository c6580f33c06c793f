using System.Globalization;
using Vicreg.Data.Views;
using Vicreg.Encoders;
using Vicreg.Encoders.Audio;

namespace Vicreg.Training.Interop.Onnx;

/// <summary>
/// The metadata_props of an exported model: what a caller needs to prepare the input as the evaluation view was
/// prepared (modality, view size, normalisation, sample rate, crop length, mel settings) and what it gets back.
/// Numbers are written with invariant culture; lists are comma-separated.
/// </summary>
public static class OnnxMetadata
{
    public static List<KeyValuePair<string, string>> For(Encoder encoder, IViewRecipe recipe, string inputName, IEnumerable<string> outputs)
    {
        var props = new List<KeyValuePair<string, string>>();
        void Add(string key, object value) => props.Add(new(key, Format(value)));
        Add("modality", recipe.Modality);
        Add("encoder", encoder.GetName());
        Add("input", inputName);
        Add("input_shape", "batch," + string.Join(",", recipe.EvalShape));
        Add("outputs", string.Join(",", outputs));
        switch (recipe)
        {
            case ImageViewRecipe image:
                Add("view_size", image.EvalSize);
                Add("channels", image.Channels);
                Add("image_preprocessing", "RGB; resize the shorter side to view_size (Pillow bicubic, a = -0.5, antialiased), centre crop view_size × view_size, "
                    + "scale to [0, 1], subtract mean and divide by std per channel; CHW" + (image.Channels == 1 ? "; then one channel: 0.299 R + 0.587 G + 0.114 B" : ""));
                Add("mean", image.Train.Mean);
                Add("std", image.Train.Std);
                break;
            case AudioViewRecipe audio:
                Add("sample_rate", audio.SampleRate);
                Add("crop_seconds", audio.EvalSeconds);
                Add("crop_samples", recipe.EvalShape[^1]);
                Add("audio_preprocessing", "mono float samples in [-1, 1] at sample_rate; the centred crop_samples of the clip, zero-padded at the end when shorter");
                break;
        }
        if (encoder is SpectrogramEncoder spectrogram)
        {
            var m = spectrogram.FrontEnd.Options;
            Add("log_mel", "inside the graph: feed raw samples");
            Add("mel_sample_rate", m.SampleRate);
            Add("mel_n_fft", m.NFft);
            Add("mel_win_length", m.WinLength);
            Add("mel_hop_length", m.HopLength);
            Add("mel_window", m.Window);
            Add("mel_n_mels", m.NMels);
            Add("mel_f_min", m.FMin);
            Add("mel_f_max", m.UpperFrequency);
            Add("mel_scale", m.MelScale.ToString().ToLowerInvariant());
            Add("mel_slaney_norm", m.SlaneyNorm);
            Add("mel_power", m.Power);
            Add("mel_log_offset", m.LogOffset);
            Add("mel_normalize_to_unit", m.NormalizeToUnit);
        }
        return props;
    }

    private static string Format(object value) => value switch
    {
        float[] list => string.Join(",", list.Select(v => v.ToString("R", CultureInfo.InvariantCulture))),
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };
}
