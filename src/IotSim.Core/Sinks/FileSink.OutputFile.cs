using System.IO.Compression;
using K4os.Compression.LZ4;
using K4os.Compression.LZ4.Streams;
using Compression = IotSim.Core.Scenarios.Compression;

namespace IotSim.Core.Sinks;

public sealed partial class FileSink
{
    /// <summary>One file being written: file stream → optional compressor.</summary>
    private sealed class OutputFile : IDisposable
    {
        private readonly FileStream _stream;

        public OutputFile(string finalPath, Compression compression)
        {
            FinalPath = finalPath;
            PartialPath = finalPath + ".partial";
            _stream = new FileStream(PartialPath, FileMode.Create, FileAccess.Write, FileShare.Read, FileBufferSize);
            try
            {
                Top = compression switch
                {
                    Compression.Gzip => new GZipStream(_stream, CompressionLevel.Fastest, leaveOpen: true),
                    Compression.Lz4 => LZ4Stream.Encode(_stream, LZ4Level.L00_FAST, 0, leaveOpen: true),
                    _ => _stream,
                };
            }
            catch
            {
                _stream.Dispose();
                throw;
            }
        }

        public string FinalPath { get; }

        public string PartialPath { get; }

        /// <summary>Where encoded bytes go.</summary>
        public Stream Top { get; }

        /// <summary>Bytes that reached the file stream so far (after compression; the compressor may hold more).</summary>
        public long BytesWritten => _stream.Position;

        /// <summary>Whether the bytes are compressed (a cut compressed file cannot be read back to a row boundary).</summary>
        public bool Compressed => Top != _stream;

        /// <summary>Hands the file stream's buffer to the operating system and returns the file's length.</summary>
        public long FlushToSystem()
        {
            _stream.Flush();
            return _stream.Position;
        }

        /// <summary>Ends the compressed stream, closes the file and gives it its final name.</summary>
        public void Complete()
        {
            if (Compressed)
            {
                Top.Dispose();
            }
            _stream.Dispose();
            File.Move(PartialPath, FinalPath, overwrite: true);
        }

        /// <summary>Closes the file, best effort, leaving it under its .partial name.</summary>
        public void Dispose()
        {
            try
            {
                if (Compressed)
                {
                    Top.Dispose();
                }
            }
            catch (Exception ex) when (ex is IOException or ObjectDisposedException or InvalidOperationException)
            {
                // The file stays .partial either way; closing the handle below is what matters.
            }
            finally
            {
                try
                {
                    _stream.Dispose();
                }
                catch (IOException)
                {
                    // Same: best effort on an already failed file.
                }
            }
        }
    }
}
