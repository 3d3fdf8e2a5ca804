namespace TinyNet;

/// <summary>
/// The fast engine's worker threads: with the calling thread as thread 0, <see cref="Run"/> runs <c>job(t)</c> for every
/// t below the step's thread count and returns when all have finished. The hand-off is a generation counter bumped once
/// per step; workers spin briefly between steps (steps follow each other within microseconds), then sleep, so that an
/// idle engine (a batch too small to split, validation, the caller's own work) leaves the cores alone. Nothing is
/// allocated per step.
/// </summary>
internal sealed class StepWorkers : IDisposable
{
    private const int IdleSpins = 2000;     // about a millisecond of spinning before a worker sleeps

    private readonly Action<int> _job;
    private readonly Thread[] _threads;
    private readonly Slot[] _slots;
    private int _generation;
    private int _active;
    private volatile bool _disposed;
    private Exception? _error;

    /// <summary>Starts <paramref name="threads"/> − 1 workers (background threads named "TinyNet worker t").</summary>
    public StepWorkers(int threads, Action<int> job)
    {
        _job = job;
        _slots = new Slot[threads];
        _threads = new Thread[threads - 1];
        for (int t = 0; t < threads; t++)
        {
            _slots[t] = new Slot();
        }

        for (int t = 1; t < threads; t++)
        {
            int index = t;
            _threads[t - 1] = new Thread(() => Loop(index)) { IsBackground = true, Name = $"TinyNet worker {t}" };
            _threads[t - 1].Start();
        }
    }

    /// <summary>The threads available, the caller's included.</summary>
    public int Count => _slots.Length;

    /// <summary>Runs job(0) here and job(1), …, job(<paramref name="active"/> − 1) on the workers; waits for all.</summary>
    public void Run(int active)
    {
        if (active == 1)
        {
            _job(0);
            return;
        }

        _active = active;
        int generation = Interlocked.Increment(ref _generation);
        for (int t = 1; t < active; t++)
        {
            if (Volatile.Read(ref _slots[t].Sleeping) != 0)
            {
                _slots[t].Wake.Set();
            }
        }

        _job(0);
        for (int t = 1; t < active; t++)
        {
            var spinner = new SpinWait();
            while (Volatile.Read(ref _slots[t].Done) != generation)
            {
                if (_error is not null)
                {
                    throw new InvalidOperationException("A TinyNet worker thread failed.", _error);
                }

                spinner.SpinOnce(sleep1Threshold: -1);
            }
        }
    }

    public void Dispose()
    {
        _disposed = true;
        Interlocked.Increment(ref _generation);
        for (int t = 1; t < _slots.Length; t++)
        {
            _slots[t].Wake.Set();
        }

        foreach (Thread thread in _threads)
        {
            thread.Join();
        }

        foreach (Slot slot in _slots)
        {
            slot.Dispose();
        }
    }

    private void Loop(int t)
    {
        Slot slot = _slots[t];
        int seen = 0;
        while (true)
        {
            var spinner = new SpinWait();
            int generation;
            while ((generation = Volatile.Read(ref _generation)) == seen)
            {
                if (spinner.Count < IdleSpins)
                {
                    spinner.SpinOnce(sleep1Threshold: -1);
                    continue;
                }

                slot.Wake.Reset();
                Interlocked.Exchange(ref slot.Sleeping, 1);
                if (Volatile.Read(ref _generation) == seen)
                {
                    slot.Wake.Wait();
                }

                Interlocked.Exchange(ref slot.Sleeping, 0);
            }

            seen = generation;
            if (_disposed)
            {
                return;
            }

            try
            {
                if (t < _active)
                {
                    _job(t);
                }
            }
            catch (Exception e)
            {
                _error = e;
                return;
            }

            Volatile.Write(ref slot.Done, generation);
        }
    }

    /// <summary>One thread's hand-off state.</summary>
    private sealed class Slot : IDisposable
    {
        public readonly ManualResetEventSlim Wake = new(false, spinCount: 1);
        public int Done;
        public int Sleeping;

        public void Dispose() => Wake.Dispose();
    }
}
