using System.Collections.Concurrent;
using FASTER.core;
using Microsoft.Win32.SafeHandles;

namespace Registry.Store.Log;

/// <summary>
/// The FASTER <see cref="IDevice"/> the log runs on: one file per segment (<c>base.N</c>), written with
/// <c>pwrite</c> through a handle opened <c>FileOptions.WriteThrough</c> (<c>O_SYNC</c> on Linux), synchronously on the
/// thread FASTER issues the write from, with the completion callback invoked before returning.
/// </summary>
/// <remarks>
/// <para>
/// Replaces FASTER's <c>ManagedLocalStorageDevice</c>, which has the same durability (it also opens its write handles
/// <c>WriteThrough</c>) but hands every write to the thread pool twice (<c>Task.Run</c>, then the async file write) and
/// completes it on a third pool thread: three scheduling hops on every commit, each a long wait on a small, busy
/// machine. FASTER supports synchronous completion (its <c>NullDevice</c> completes inline).
/// </para>
/// <para>
/// Reads fill the destination completely: bytes past the end of a segment file read as zeros, never as whatever the
/// buffer held before (the managed device leaves a short read's tail untouched). Thread-safe: positional reads and
/// writes on shared handles.
/// </para>
/// </remarks>
internal sealed unsafe class SyncFileDevice : StorageDeviceBase
{
    private readonly ConcurrentDictionary<int, SafeFileHandle> _handles = new();
    private readonly bool _readOnly;

    /// <summary>A device over <c><paramref name="baseName"/>.N</c>; read-only devices never create or change a file.</summary>
    public SyncFileDevice(string baseName, bool readOnly)
        : base(baseName, 512, -1)
    {
        _readOnly = readOnly;
        var segments = LogFiles.ListSegments(Path.GetDirectoryName(baseName)!, Path.GetFileName(baseName))
            .Select(f => int.Parse(f.Name.AsSpan(Path.GetFileName(baseName).Length + 1), System.Globalization.CultureInfo.InvariantCulture))
            .ToArray();
        if (segments.Length > 0)
        {
            startSegment = segments[0];
            endSegment = segments[^1];
        }
    }

    public override void WriteAsync(nint sourceAddress, int segmentId, ulong destinationAddress, uint numBytesToWrite, DeviceIOCompletionCallback callback, object context)
    {
        uint error = 0;
        try
        {
            var handle = Handle(segmentId, create: true) ?? throw new IOException($"The log device is read-only: {FileName}.{segmentId}");
            RandomAccess.Write(handle, new ReadOnlySpan<byte>((void*)sourceAddress, checked((int)numBytesToWrite)), checked((long)destinationAddress));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // Reported to FASTER as its devices do: the errno (ENOSPC stays 28), which fails the commit.
            error = ErrorCode(ex);
        }

        callback(error, error == 0 ? numBytesToWrite : 0, context);
    }

    public override void ReadAsync(int segmentId, ulong sourceAddress, nint destinationAddress, uint readLength, DeviceIOCompletionCallback callback, object context)
    {
        var destination = new Span<byte>((void*)destinationAddress, checked((int)readLength));
        uint error = 0;
        var read = 0;
        try
        {
            if (Handle(segmentId, create: false) is { } handle)
            {
                while (read < destination.Length)
                {
                    var n = RandomAccess.Read(handle, destination[read..], checked((long)sourceAddress + read));
                    if (n == 0)
                    {
                        break;
                    }

                    read += n;
                }
            }

            destination[read..].Clear();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            error = ErrorCode(ex);
        }

        callback(error, error == 0 ? readLength : 0, context);
    }

    public override void RemoveSegmentAsync(int segment, AsyncCallback callback, IAsyncResult result)
    {
        RemoveSegment(segment);
        callback(result);
    }

    public override void RemoveSegment(int segment)
    {
        if (_handles.TryRemove(segment, out var handle))
        {
            handle.Dispose();
        }

        File.Delete(GetSegmentFilename(FileName, segment));
    }

    public override long GetFileSize(int segment) =>
        segmentSize > 0 ? segmentSize : Handle(segment, create: false) is { } handle ? RandomAccess.GetLength(handle) : 0;

    public override void Dispose()
    {
        foreach (var handle in _handles.Values)
        {
            handle.Dispose();
        }

        _handles.Clear();
    }

    private static uint ErrorCode(Exception ex) => (ex.HResult & 0xFFFF) is var code and > 0 and < 0xFFFF ? (uint)code : 5u;

    private SafeFileHandle? Handle(int segment, bool create)
    {
        if (_handles.TryGetValue(segment, out var handle))
        {
            return handle;
        }

        var path = GetSegmentFilename(FileName, segment);
        if ((!create || _readOnly) && !File.Exists(path))
        {
            return null;
        }

        var opened = _readOnly
            ? File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite)
            : File.OpenHandle(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.ReadWrite, FileOptions.WriteThrough);
        if (_handles.TryAdd(segment, opened))
        {
            return opened;
        }

        opened.Dispose();
        return _handles[segment];
    }
}
