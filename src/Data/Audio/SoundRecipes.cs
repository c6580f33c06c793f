namespace Vicreg.Data.Audio;

/// <summary>
/// The sound classes of the synthetic audio dataset. A class is a timbre, an envelope and a rhythm; the
/// pitch (150–1,000 Hz, log-uniform), rate, loudness, onset and background noise are drawn for every clip
/// independently of the class, so no single cue (pitch or level) identifies a class.
/// </summary>
internal static class SoundRecipes
{
    public static readonly string[] Names =
    [
        "steady-tone", "tone-pulses", "steady-buzz", "buzz-pulses", "vibrato-reed",
        "noise-bursts", "rising-chirps", "struck-bell", "two-note-trill", "tremolo-organ",
    ];

    /// <summary>Writes one clip of class <paramref name="cls"/> into <paramref name="x"/> (peak about 0.5–0.9).
    /// <paramref name="pitch"/> in [0, 1] places f0 on its log scale instead of the random draw (which is made anyway,
    /// so the rest of the clip is the same).</summary>
    public static void Render(int cls, Span<float> x, int rate, Random rng, double? pitch = null)
    {
        double draw = rng.NextDouble(); // drawn even when the pitch is given, so the rest of the clip stays the same
        double f0 = 150 * Math.Pow(1000 / 150.0, pitch is { } given ? Math.Clamp(given, 0, 1) : draw);
        double nyquist = rate / 2.0;
        double t0 = rng.NextDouble(); // rhythm phase
        var (lo, hi) = RateRange[cls];
        double perSecond = lo + (hi - lo) * rng.NextDouble(); // pulses, sweeps, strikes or notes per second
        var signal = new double[x.Length];
        for (int i = 0; i < x.Length; i++)
        {
            double t = i / (double)rate;
            signal[i] = cls switch
            {
                0 => Harmonics(f0, t, nyquist, k => k == 1 ? 1 : k == 2 ? 0.3 : 0),
                1 => Harmonics(f0, t, nyquist, k => k == 1 ? 1 : 0) * Pulse(t + t0, perSecond, 12),
                2 => Harmonics(f0, t, nyquist, k => 1.0 / k),
                3 => Harmonics(f0, t, nyquist, k => 1.0 / k) * Pulse(t + t0, perSecond, 5),
                4 => Harmonics(f0 * (1 + 0.03 * Math.Sin(2 * Math.PI * 6 * t)), t, nyquist, k => k % 2 == 1 ? 1.0 / k : 0),
                5 => 0, // filled below: band-limited noise bursts
                6 => Chirp(f0, t + t0, perSecond, nyquist),
                7 => Bell(f0, t + t0, perSecond, nyquist),
                8 => Harmonics(f0 * (Math.Floor((t + t0) * perSecond) % 2 == 0 ? 1 : 1.26), t, nyquist, k => k <= 3 ? 1.0 / k : 0),
                _ => Harmonics(f0, t, nyquist, k => k <= 4 ? 1.0 / k : 0) * (0.5 + 0.5 * Math.Sin(2 * Math.PI * perSecond * t)),
            };
        }
        if (cls == 5) NoiseBursts(signal, f0, rate, perSecond, t0, rng);
        Normalize(signal, 0.5 + 0.4 * rng.NextDouble());
        double noise = 0.005 + 0.03 * rng.NextDouble();
        for (int i = 0; i < x.Length; i++) x[i] = (float)(signal[i] + noise * Gaussian(rng));
    }

    private static readonly (double Lo, double Hi)[] RateRange =
    [
        (0, 0), (3, 5), (0, 0), (1.5, 2.5), (0, 0), (3, 5), (2, 4), (1.2, 2), (6, 10), (8, 12),
    ];

    private static double Harmonics(double f, double t, double nyquist, Func<int, double> amplitude)
    {
        double sum = 0;
        for (int k = 1; k <= 12 && k * f < nyquist * 0.95; k++)
        {
            double a = amplitude(k);
            if (a != 0) sum += a * Math.Sin(2 * Math.PI * k * f * t);
        }
        return sum;
    }

    /// <summary>Exponentially decaying pulses with a 5 ms attack, <paramref name="rate"/> per second.</summary>
    private static double Pulse(double t, double rate, double decay)
    {
        double local = t * rate % 1.0 / rate;
        double attack = Math.Min(1, local / 0.005);
        return attack * Math.Exp(-decay * local);
    }

    private static double Chirp(double f0, double t, double rate, double nyquist)
    {
        double period = 1 / rate, local = t % period;
        // Instantaneous frequency f0 → 2·f0 over each period; the phase is its integral.
        double k = f0 / period;
        double phase = f0 * local + 0.5 * k * local * local;
        double env = Math.Min(1, local / 0.01) * Math.Min(1, (period - local) / 0.02);
        double f = f0 + k * local;
        return env * (Math.Sin(2 * Math.PI * phase) + (2 * f < nyquist ? 0.4 * Math.Sin(4 * Math.PI * phase) : 0));
    }

    private static double Bell(double f0, double t, double rate, double nyquist)
    {
        double local = t * rate % 1.0 / rate;
        double sum = 0;
        double[] ratios = [1, 2.76, 5.4, 8.93], amps = [1, 0.6, 0.4, 0.25], decays = [3, 5, 8, 12];
        for (int p = 0; p < ratios.Length; p++)
            if (ratios[p] * f0 < nyquist * 0.95)
                sum += amps[p] * Math.Exp(-decays[p] * local) * Math.Sin(2 * Math.PI * ratios[p] * f0 * local);
        return sum * Math.Min(1, local / 0.002);
    }

    /// <summary>White noise through a two-pole resonator near 4·f0, gated into bursts.</summary>
    private static void NoiseBursts(double[] s, double f0, int rate, double burstRate, double t0, Random rng)
    {
        double fc = Math.Min(4 * f0, rate * 0.4), r = 0.97;
        double a1 = 2 * r * Math.Cos(2 * Math.PI * fc / rate), a2 = -r * r;
        double y1 = 0, y2 = 0;
        for (int i = 0; i < s.Length; i++)
        {
            double y = Gaussian(rng) + a1 * y1 + a2 * y2;
            y2 = y1; y1 = y;
            double t = i / (double)rate + t0;
            double local = t * burstRate % 1.0 / burstRate;
            s[i] = y * (local < 0.08 ? 1 : 0) * Math.Min(1, local / 0.003);
        }
    }

    private static void Normalize(double[] s, double peak)
    {
        double max = s.Max(Math.Abs);
        if (max <= 0) return;
        for (int i = 0; i < s.Length; i++) s[i] *= peak / max;
    }

    private static double Gaussian(Random rng)
    {
        double u1 = 1.0 - rng.NextDouble(), u2 = rng.NextDouble();
        return Math.Sqrt(-2 * Math.Log(u1)) * Math.Cos(2 * Math.PI * u2);
    }
}
