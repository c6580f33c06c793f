namespace Vicreg.Encoders.Audio;

/// <summary>
/// Triangular mel filterbank, [n_freqs, n_mels], with torchaudio's melscale_fbanks definition: FFT bin
/// centres linspace(0, sample_rate // 2, n_freqs), n_mels + 2 points equally spaced on the mel scale between
/// f_min and f_max, triangles from the min of the rising and falling slopes, optional Slaney area norm.
/// Computed in double. torchaudio computes in float32; its float32 mel grid (torch.linspace) moves band
/// edges by up to 1 ulp, so the two differ by up to 5e-6 at 16 kHz and 1.4e-5 for 128 bands at 44.1 kHz,
/// while this matches torchaudio's algorithm run in float64 to 1e-9 (tests/fixtures/audio/logmel.json).
/// </summary>
public static class MelFilterbank
{
    public static double[,] Create(int nFreqs, double fMin, double fMax, int nMels, int sampleRate, bool slaneyNorm, MelScale scale)
    {
        var allFreqs = new double[nFreqs];
        double top = sampleRate / 2; // integer division, as torchaudio's sample_rate // 2
        for (int i = 0; i < nFreqs; i++) allFreqs[i] = nFreqs == 1 ? 0 : top * i / (nFreqs - 1);
        double mMin = HzToMel(fMin, scale), mMax = HzToMel(fMax, scale);
        var fPts = new double[nMels + 2];
        for (int i = 0; i < fPts.Length; i++) fPts[i] = MelToHz(mMin + (mMax - mMin) * i / (nMels + 1), scale);

        var fb = new double[nFreqs, nMels];
        for (int m = 0; m < nMels; m++)
        {
            double lowerWidth = fPts[m + 1] - fPts[m], upperWidth = fPts[m + 2] - fPts[m + 1];
            double norm = slaneyNorm ? 2.0 / (fPts[m + 2] - fPts[m]) : 1.0;
            for (int f = 0; f < nFreqs; f++)
            {
                double down = (allFreqs[f] - fPts[m]) / lowerWidth;   // rising edge
                double up = (fPts[m + 2] - allFreqs[f]) / upperWidth; // falling edge
                fb[f, m] = Math.Max(0, Math.Min(down, up)) * norm;
            }
        }
        return fb;
    }

    public static double HzToMel(double hz, MelScale scale)
    {
        if (scale == MelScale.Htk) return 2595.0 * Math.Log10(1.0 + hz / 700.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return hz >= minLogHz ? minLogMel + Math.Log(hz / minLogHz) / logStep : hz / fSp;
    }

    public static double MelToHz(double mel, MelScale scale)
    {
        if (scale == MelScale.Htk) return 700.0 * (Math.Pow(10.0, mel / 2595.0) - 1.0);
        const double fSp = 200.0 / 3, minLogHz = 1000.0, minLogMel = minLogHz / fSp;
        double logStep = Math.Log(6.4) / 27.0;
        return mel >= minLogMel ? minLogHz * Math.Exp(logStep * (mel - minLogMel)) : fSp * mel;
    }
}
