using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace Operability.Cli.Tests
{
    /// <summary>One request the fake Prometheus received: its path, its form fields and its Authorization header.</summary>
    internal sealed record PrometheusRequest(string Path, IReadOnlyDictionary<string, string> Form, string? Authorization);

    /// <summary>
    /// A tiny HTTP server on 127.0.0.1 answering as Prometheus' HTTP API does (or as a broken one does): real HTTP,
    /// canned answers chosen by <see cref="Answer"/>, every request recorded.
    /// </summary>
    internal sealed class FakePrometheus : IDisposable
    {
        private readonly HttpListener _listener = new();
        private readonly CancellationTokenSource _stop = new();
        private readonly Task _loop;

        public FakePrometheus(Func<PrometheusRequest, (int Status, string Body)> answer)
        {
            Answer = answer;
            int port = FreePort();
            Url = "http://127.0.0.1:" + port + "/";
            _listener.Prefixes.Add(Url);
            _listener.Start();
            _loop = Task.Run(ServeAsync);
        }

        public string Url { get; }

        public Func<PrometheusRequest, (int Status, string Body)> Answer { get; }

        /// <summary>How long to wait before answering (a Prometheus that hangs).</summary>
        public TimeSpan Delay { get; init; }

        public ConcurrentQueue<PrometheusRequest> Requests { get; } = new();

        /// <summary>Prometheus' success envelope around a vector of <c>{outcome: value}</c>.</summary>
        public static string Vector(params (string Outcome, string Value)[] series)
        {
            var items = new List<string>();
            foreach (var (outcome, value) in series)
            {
                items.Add("{\"metric\":{\"outcome\":\"" + outcome + "\"},\"value\":[1764639000.5,\"" + value + "\"]}");
            }

            return "{\"status\":\"success\",\"data\":{\"resultType\":\"vector\",\"result\":[" + string.Join(",", items) + "]}}";
        }

        /// <summary>Prometheus' success envelope around one matrix series of <c>[unix seconds, value]</c>.</summary>
        public static string Matrix(params (long At, string Value)[] samples)
        {
            var values = new List<string>();
            foreach (var (at, value) in samples)
            {
                values.Add("[" + at + ",\"" + value + "\"]");
            }

            return "{\"status\":\"success\",\"data\":{\"resultType\":\"matrix\",\"result\":[{\"metric\":{},\"values\":[" + string.Join(",", values) + "]}]}}";
        }

        public void Dispose()
        {
            _stop.Cancel();
            _listener.Stop();
            _listener.Close();
            try
            {
                _loop.Wait(TimeSpan.FromSeconds(10));
            }
            catch (AggregateException)
            {
            }

            _stop.Dispose();
        }

        private async Task ServeAsync()
        {
            while (!_stop.IsCancellationRequested)
            {
                HttpListenerContext context;
                try
                {
                    context = await _listener.GetContextAsync().ConfigureAwait(false);
                }
                catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
                {
                    return;
                }

                _ = Task.Run(() => HandleAsync(context));
            }
        }

        private async Task HandleAsync(HttpListenerContext context)
        {
            try
            {
                string body;
                using (var reader = new StreamReader(context.Request.InputStream, Encoding.UTF8))
                {
                    body = await reader.ReadToEndAsync().ConfigureAwait(false);
                }

                var form = new Dictionary<string, string>(StringComparer.Ordinal);
                foreach (string pair in body.Split('&', StringSplitOptions.RemoveEmptyEntries))
                {
                    string[] parts = pair.Split('=', 2);
                    form[WebUtility.UrlDecode(parts[0])] = parts.Length > 1 ? WebUtility.UrlDecode(parts[1]) : string.Empty;
                }

                var request = new PrometheusRequest(context.Request.Url!.AbsolutePath, form, context.Request.Headers["Authorization"]);
                Requests.Enqueue(request);
                if (Delay > TimeSpan.Zero)
                {
                    await Task.Delay(Delay, _stop.Token).ConfigureAwait(false);
                }

                (int status, string answer) = Answer(request);
                byte[] bytes = Encoding.UTF8.GetBytes(answer);
                context.Response.StatusCode = status;
                context.Response.ContentType = answer.StartsWith('{') ? "application/json" : "text/html";
                context.Response.ContentLength64 = bytes.Length;
                await context.Response.OutputStream.WriteAsync(bytes).ConfigureAwait(false);
                context.Response.Close();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or OperationCanceledException or IOException)
            {
                // The client gave up (a timeout test) or the server is stopping.
            }
        }

        private static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }
}
