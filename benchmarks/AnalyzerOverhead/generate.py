#!/usr/bin/env python3
"""Generates a large service-shaped C# code base for measuring analyzer overhead.

Usage: generate.py OUT_DIR [FILES]

The code has the shapes the Operability analyzers look at (HttpClient creation and
registration, blocking waits, timeouts, configuration reads) mixed into ordinary
controller/service/DTO code, so both the fast "nothing here" paths and the matching
paths are exercised. It is synthetic: the numbers it gives are relative (analyzer time
as a share of compile time, next to another analyzer package in the same build).
"""
import os
import sys

out = sys.argv[1]
count = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
os.makedirs(os.path.join(out, "Generated"), exist_ok=True)

TEMPLATE = '''using System;
using System.Collections.Generic;
using System.Linq;
using System.Net.Http;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Polly;

namespace Shop.Module{n};

public sealed record Order{n}(Guid Id, string Customer, decimal Total, IReadOnlyList<string> Lines);

public interface IOrderStore{n}
{{
    Task<Order{n}?> FindAsync(Guid id, CancellationToken cancellationToken);
    Task SaveAsync(Order{n} order, CancellationToken cancellationToken);
}}

public sealed class InMemoryOrderStore{n} : IOrderStore{n}
{{
    private readonly Dictionary<Guid, Order{n}> _orders = new();
    private readonly SemaphoreSlim _gate = new(1, 1);

    public async Task<Order{n}?> FindAsync(Guid id, CancellationToken cancellationToken)
    {{
        await _gate.WaitAsync(cancellationToken);
        try {{ return _orders.TryGetValue(id, out var order) ? order : null; }}
        finally {{ _gate.Release(); }}
    }}

    public async Task SaveAsync(Order{n} order, CancellationToken cancellationToken)
    {{
        await _gate.WaitAsync(TimeSpan.FromSeconds(2), cancellationToken);
        try {{ _orders[order.Id] = order; }}
        finally {{ _gate.Release(); }}
    }}
}}

public sealed class PricingClient{n}
{{
    private readonly HttpClient _http;
    public PricingClient{n}(HttpClient http) => _http = http;

    public async Task<decimal> PriceAsync(string sku, CancellationToken cancellationToken)
    {{
        using var response = await _http.GetAsync("/prices/" + Uri.EscapeDataString(sku), cancellationToken);
        response.EnsureSuccessStatusCode();
        var text = await response.Content.ReadAsStringAsync(cancellationToken);
        return decimal.Parse(text, System.Globalization.CultureInfo.InvariantCulture);
    }}
}}

public sealed class OrderService{n}
{{
    private static readonly HttpClient Audit = new HttpClient {{ Timeout = TimeSpan.FromSeconds(3) }};
    private readonly IOrderStore{n} _store;
    private readonly PricingClient{n} _pricing;
    private readonly IConfiguration _configuration;

    public OrderService{n}(IOrderStore{n} store, PricingClient{n} pricing, IConfiguration configuration)
    {{
        _store = store;
        _pricing = pricing;
        _configuration = configuration;
    }}

    public async Task<Order{n}> PlaceAsync(string customer, IReadOnlyList<string> skus, CancellationToken cancellationToken)
    {{
        var prices = await Task.WhenAll(skus.Select(sku => _pricing.PriceAsync(sku, cancellationToken)));
        var order = new Order{n}(Guid.NewGuid(), customer, prices.Sum(), skus.ToList());
        await _store.SaveAsync(order, cancellationToken);
        var name = _configuration.GetConnectionString("Orders");
        if (string.IsNullOrEmpty(name) && order.Total > {n})
        {{
            using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(5));
            await Audit.PostAsync("/audit", new StringContent(order.Id.ToString()), cts.Token);
        }}
        return order;
    }}

    public bool Flush(Task pending) => pending.Wait(TimeSpan.FromSeconds(1));

    public static Polly.ResiliencePipeline Pipeline() => new Polly.ResiliencePipelineBuilder()
        .AddRetry(new Polly.Retry.RetryStrategyOptions {{ MaxRetryAttempts = 2 }})
        .AddTimeout(TimeSpan.FromSeconds(2))
        .Build();

    public IEnumerable<string> Describe(IEnumerable<Order{n}> orders) =>
        orders.Where(o => o.Total > 0).OrderBy(o => o.Customer).Select(o => $"{{o.Customer}}: {{o.Total:0.00}} ({{o.Lines.Count}} lines)");
}}

public static class Module{n}Registration
{{
    public static IServiceCollection AddModule{n}(this IServiceCollection services)
    {{
        services.AddSingleton<IOrderStore{n}, InMemoryOrderStore{n}>();
        services.AddScoped<OrderService{n}>();
        services.AddHttpClient<PricingClient{n}>(c => {{ c.BaseAddress = new Uri("http://pricing"); c.Timeout = TimeSpan.FromSeconds(2); }});
        return services;
    }}
}}
'''

for n in range(count):
    with open(os.path.join(out, "Generated", f"Module{n}.cs"), "w") as f:
        f.write(TEMPLATE.format(n=n))
print(f"wrote {count} files to {out}/Generated")
