using System.Threading.Channels;

namespace IotSim.Core.Simulation;

/// <summary>
/// A fixed set of batches. Renting waits while all are in use, which is how a slow sink holds back the generator.
/// </summary>
internal sealed class ReadingBatchPool
{
    private readonly Channel<ReadingBatch> _free;

    public ReadingBatchPool(Fleet fleet, int batches, int capacity)
    {
        _free = Channel.CreateUnbounded<ReadingBatch>(new UnboundedChannelOptions { SingleReader = true });
        for (int i = 0; i < batches; i++)
        {
            _free.Writer.TryWrite(new ReadingBatch(fleet, capacity, this, fleet.Plan.BatchExtraRoom));
        }
    }

    public async ValueTask<ReadingBatch> RentAsync(CancellationToken cancellationToken)
    {
        ReadingBatch batch = await _free.Reader.ReadAsync(cancellationToken).ConfigureAwait(false);
        batch.Reset();
        return batch;
    }

    public void Return(ReadingBatch batch) => _free.Writer.TryWrite(batch);
}
