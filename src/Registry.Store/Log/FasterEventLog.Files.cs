namespace Registry.Store.Log;

public sealed partial class FasterEventLog
{
    /// <inheritdoc />
    public (string File, long Offset) Locate(LogPosition position) => (SegmentPath(position.Address), FileOffset(position.Address));

    /// <summary>The address of the log's first entry (where <see cref="LogPosition.Origin"/> reads from).</summary>
    internal long BeginAddress
    {
        get
        {
            lock (_stateLock)
            {
                return _instance?.Log.BeginAddress ?? _recoveredBegin;
            }
        }
    }

    /// <summary>log2 of the segment file size (as recorded in the log).</summary>
    internal int SegmentSizeBits => _options.SegmentSizeBits;

    /// <summary>log2 of the page size (as recorded in the log).</summary>
    internal int PageSizeBits => _options.PageSizeBits;

    /// <summary>The segment file that holds <paramref name="address"/>.</summary>
    internal string SegmentPath(long address) =>
        Path.Combine(_options.Directory, $"{SegmentBaseName}.{address >> _options.SegmentSizeBits}");

    /// <summary>The byte offset of <paramref name="address"/> inside its segment file.</summary>
    internal long FileOffset(long address) => address & ((1L << _options.SegmentSizeBits) - 1);
}
