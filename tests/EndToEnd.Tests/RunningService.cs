using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text;
using System.Threading;
using System.Threading.Tasks;

namespace EndToEnd.Tests
{
    /// <summary>A built service started as its users start it ('dotnet Service.dll'), on 127.0.0.1 and a free port.</summary>
    internal sealed class RunningService : IDisposable
    {
        private readonly Process _process;
        private readonly StringBuilder _output = new();

        private RunningService(Process process, Uri baseAddress)
        {
            _process = process;
            BaseAddress = baseAddress;
            Client = new HttpClient { BaseAddress = baseAddress, Timeout = TimeSpan.FromSeconds(10) };
        }

        public Uri BaseAddress { get; }

        public HttpClient Client { get; }

        public string Output
        {
            get
            {
                lock (_output)
                {
                    return _output.ToString();
                }
            }
        }

        /// <summary>Starts <paramref name="assembly"/> with <paramref name="contentRoot"/> as working directory (its content root).</summary>
        public static RunningService Start(string assembly, string contentRoot, IReadOnlyDictionary<string, string>? environment = null)
        {
            var url = $"http://127.0.0.1:{FreePort()}";
            var start = new ProcessStartInfo("dotnet")
            {
                WorkingDirectory = contentRoot,
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                UseShellExecute = false,
            };
            start.ArgumentList.Add(assembly);
            start.ArgumentList.Add("--urls");
            start.ArgumentList.Add(url);
            start.Environment["ASPNETCORE_ENVIRONMENT"] = "Production";
            start.Environment["DOTNET_NOLOGO"] = "1";
            foreach (var pair in environment ?? new Dictionary<string, string>())
            {
                start.Environment[pair.Key] = pair.Value;
            }

            var process = new Process { StartInfo = start };
            var service = new RunningService(process, new Uri(url + "/"));
            process.OutputDataReceived += (_, e) => service.Append(e.Data);
            process.ErrorDataReceived += (_, e) => service.Append(e.Data);
            process.Start();
            process.BeginOutputReadLine();
            process.BeginErrorReadLine();
            return service;
        }

        /// <summary>Polls /health/ready until it answers 200, for at most <paramref name="timeout"/>.</summary>
        public async Task WaitUntilReadyAsync(TimeSpan timeout)
        {
            var deadline = DateTime.UtcNow + timeout;
            var last = "no answer";
            while (DateTime.UtcNow < deadline)
            {
                if (_process.HasExited)
                {
                    throw new InvalidOperationException($"The service exited with code {_process.ExitCode} before it was ready.\n{Output}");
                }

                try
                {
                    using var response = await Client.GetAsync("health/ready");
                    last = $"{(int)response.StatusCode} {await response.Content.ReadAsStringAsync()}";
                    if (response.StatusCode == HttpStatusCode.OK)
                    {
                        return;
                    }
                }
                catch (HttpRequestException e)
                {
                    last = e.Message;
                }

                await Task.Delay(250);
            }

            throw new TimeoutException($"{BaseAddress}health/ready did not answer 200 within {timeout} (last: {last}).\n{Output}");
        }

        public void Dispose()
        {
            Client.Dispose();
            try
            {
                if (!_process.HasExited)
                {
                    _process.Kill(entireProcessTree: true);
                    _process.WaitForExit(10_000);
                }
            }
            catch (InvalidOperationException)
            {
                // Already gone.
            }

            _process.Dispose();
        }

        private void Append(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_output)
            {
                _output.AppendLine(line);
            }
        }

        internal static int FreePort()
        {
            using var listener = new TcpListener(IPAddress.Loopback, 0);
            listener.Start();
            return ((IPEndPoint)listener.LocalEndpoint).Port;
        }
    }

    /// <summary>Something that accepts TCP connections on 127.0.0.1, standing in for a database.</summary>
    internal sealed class FakeDatabaseListener : IDisposable
    {
        private readonly TcpListener _listener = new(IPAddress.Loopback, 0);

        public FakeDatabaseListener() => _listener.Start();

        public int Port => ((IPEndPoint)_listener.LocalEndpoint).Port;

        public void Dispose() => _listener.Stop();
    }
}
