using Microsoft.EntityFrameworkCore;
using Orders.Data;

namespace OrderReports;

/// <summary>Once an hour, totals the last day's orders — by querying the orders database itself.</summary>
public sealed class DailyReportWorker(IServiceScopeFactory scopes, ILogger<DailyReportWorker> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            using (var scope = scopes.CreateScope())
            {
                var orders = scope.ServiceProvider.GetRequiredService<OrdersDbContext>();
                var since = DateTimeOffset.UtcNow.AddDays(-1);
                var count = await orders.Orders.CountAsync(o => o.PlacedAt >= since, stoppingToken);
                logger.LogInformation("{Count} orders in the last day", count);
            }

            await Task.Delay(TimeSpan.FromHours(1), stoppingToken);
        }
    }
}
