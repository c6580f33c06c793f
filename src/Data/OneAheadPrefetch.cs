namespace Vicreg.Data;

/// <summary>Yields build(i) for i in [start, count), building the next item on a background task while the
/// consumer works on the current one (at most one ahead, so memory stays bounded). An abandoned enumeration
/// disposes the item it prefetched.</summary>
public static class OneAheadPrefetch
{
    public static IEnumerable<T> Run<T>(int start, int count, Func<int, T> build) where T : IDisposable
    {
        if (start >= count) yield break;
        Task<T>? pending = Task.Run(() => build(start));
        try
        {
            for (int i = start; i < count; i++)
            {
                var current = pending!.GetAwaiter().GetResult();
                pending = null;
                int next = i + 1;
                if (next < count) pending = Task.Run(() => build(next));
                yield return current;
            }
        }
        finally
        {
            if (pending is not null)
            {
                try { pending.GetAwaiter().GetResult().Dispose(); }
                catch { /* the consumer stopped; a failed prefetch has nothing to release */ }
            }
        }
    }
}
