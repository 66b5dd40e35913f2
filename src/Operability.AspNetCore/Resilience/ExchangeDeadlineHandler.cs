using System;
using System.IO;
using System.Net;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Polly.Timeout;

namespace Operability.AspNetCore.Resilience;

/// <summary>
/// The outermost handler of a dependency's client: makes its total timeout a deadline for the whole exchange, body
/// included. The resilience pipeline's total timeout ends when the response headers arrive; without this, a body
/// that trickles would be bounded only by <c>HttpClient.Timeout</c> (and not at all with
/// <see cref="HttpCompletionOption.ResponseHeadersRead"/>). The deadline runs from the call on the registered
/// <see cref="TimeProvider"/>; reading the body after it, or while it passes, throws
/// <see cref="TimeoutRejectedException"/> — the exception the pipeline's own total timeout throws, so callers handle
/// one type. With the default completion option <c>HttpClient</c> reads the body inside the awaited call, so that
/// call fails at the deadline.
/// </summary>
internal sealed class ExchangeDeadlineHandler : DelegatingHandler
{
    /// <summary>
    /// Set on the request when the service's fallback answered it: that answer is local and comes at the deadline by
    /// design when a timeout triggered it, so its body is not bounded.
    /// </summary>
    internal static readonly HttpRequestOptionsKey<bool> AnsweredByFallback = new("Operability.AnsweredByFallback");

    private readonly TimeSpan _total;
    private readonly TimeProvider _time;
    private readonly Action _onTimeout;

    public ExchangeDeadlineHandler(TimeSpan total, TimeProvider time, Action onTimeout)
    {
        _total = total;
        _time = time;
        _onTimeout = onTimeout;
    }

    protected override async Task<HttpResponseMessage> SendAsync(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var deadline = new Deadline(_total, _time, _onTimeout);
        try
        {
            return Bounded(request, await base.SendAsync(request, cancellationToken).ConfigureAwait(false), deadline);
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    protected override HttpResponseMessage Send(HttpRequestMessage request, CancellationToken cancellationToken)
    {
        var deadline = new Deadline(_total, _time, _onTimeout);
        try
        {
            return Bounded(request, base.Send(request, cancellationToken), deadline);
        }
        catch
        {
            deadline.Dispose();
            throw;
        }
    }

    private static HttpResponseMessage Bounded(HttpRequestMessage request, HttpResponseMessage response, Deadline deadline)
    {
        if (request.Options.TryGetValue(AnsweredByFallback, out bool fallback) && fallback)
        {
            deadline.Dispose();
            return response;
        }

        response.Content = new DeadlineContent(response.Content, deadline);
        return response;
    }

    /// <summary>One exchange's deadline; reports its timeout once.</summary>
    private sealed class Deadline : IDisposable
    {
        private readonly CancellationTokenSource _source;
        private readonly TimeSpan _total;
        private readonly Action _onTimeout;
        private int _reported;

        public Deadline(TimeSpan total, TimeProvider time, Action onTimeout)
        {
            _source = new CancellationTokenSource(total, time);
            _total = total;
            _onTimeout = onTimeout;
        }

        public CancellationToken Token => _source.Token;

        public bool Passed => _source.IsCancellationRequested;

        public TimeoutRejectedException Exceeded()
        {
            if (Interlocked.Exchange(ref _reported, 1) == 0)
            {
                _onTimeout();
            }

            return new TimeoutRejectedException(
                "The dependency's response did not complete within its total timeout of " + _total.ToString("c", System.Globalization.CultureInfo.InvariantCulture) + ".",
                _total);
        }

        public void Dispose() => _source.Dispose();
    }

    /// <summary>The response's content, read through <see cref="DeadlineStream"/>; headers as received.</summary>
    private sealed class DeadlineContent : HttpContent
    {
        private readonly HttpContent _inner;
        private readonly Deadline _deadline;

        public DeadlineContent(HttpContent inner, Deadline deadline)
        {
            _inner = inner;
            _deadline = deadline;
            foreach (System.Collections.Generic.KeyValuePair<string, System.Collections.Generic.IEnumerable<string>> header in inner.Headers)
            {
                Headers.TryAddWithoutValidation(header.Key, header.Value);
            }
        }

        protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) =>
            SerializeToStreamAsync(stream, context, CancellationToken.None);

        protected override async Task SerializeToStreamAsync(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            using Stream source = await CreateContentReadStreamAsync(cancellationToken).ConfigureAwait(false);
            await source.CopyToAsync(stream, cancellationToken).ConfigureAwait(false);
        }

        protected override void SerializeToStream(Stream stream, TransportContext? context, CancellationToken cancellationToken)
        {
            using Stream source = CreateContentReadStream(cancellationToken);
            source.CopyTo(stream);
        }

        protected override Task<Stream> CreateContentReadStreamAsync() => CreateContentReadStreamAsync(CancellationToken.None);

        protected override async Task<Stream> CreateContentReadStreamAsync(CancellationToken cancellationToken)
        {
            if (_deadline.Passed)
            {
                throw _deadline.Exceeded();
            }

            return new DeadlineStream(await _inner.ReadAsStreamAsync(cancellationToken).ConfigureAwait(false), _deadline);
        }

        protected override Stream CreateContentReadStream(CancellationToken cancellationToken)
        {
            if (_deadline.Passed)
            {
                throw _deadline.Exceeded();
            }

            return new DeadlineStream(_inner.ReadAsStream(cancellationToken), _deadline);
        }

        protected override bool TryComputeLength(out long length)
        {
            length = _inner.Headers.ContentLength ?? 0;
            return _inner.Headers.ContentLength.HasValue;
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
                _deadline.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>A read-only view of the body whose reads end at the deadline.</summary>
    private sealed class DeadlineStream : Stream
    {
        private readonly Stream _inner;
        private readonly Deadline _deadline;

        public DeadlineStream(Stream inner, Deadline deadline)
        {
            _inner = inner;
            _deadline = deadline;
        }

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override async ValueTask<int> ReadAsync(Memory<byte> buffer, CancellationToken cancellationToken = default)
        {
            if (_deadline.Passed)
            {
                throw _deadline.Exceeded();
            }

            // One token for the caller's cancellation and the deadline; no linked source when the caller cannot cancel.
            using CancellationTokenSource? linked = cancellationToken.CanBeCanceled
                ? CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, _deadline.Token)
                : null;
            try
            {
                return await _inner.ReadAsync(buffer, linked?.Token ?? _deadline.Token).ConfigureAwait(false);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException && _deadline.Passed && !cancellationToken.IsCancellationRequested)
            {
                throw _deadline.Exceeded();
            }
        }

        public override Task<int> ReadAsync(byte[] buffer, int offset, int count, CancellationToken cancellationToken) =>
            ReadAsync(buffer.AsMemory(offset, count), cancellationToken).AsTask();

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            if (_deadline.Passed)
            {
                throw _deadline.Exceeded();
            }

            // A blocking read cannot take a token: the deadline ends it by closing the stream under it.
            using CancellationTokenRegistration closing = _deadline.Token.Register(static inner => ((Stream)inner!).Dispose(), _inner);
            try
            {
                return _inner.Read(buffer);
            }
            catch (Exception ex) when (ex is OperationCanceledException or IOException or ObjectDisposedException && _deadline.Passed)
            {
                throw _deadline.Exceeded();
            }
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                _inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}
