using Microsoft.EntityFrameworkCore;

namespace Orders.Data;

public sealed class Order
{
    public Guid Id { get; set; }

    public string Status { get; set; } = "placed";

    public decimal Total { get; set; }

    public DateTimeOffset PlacedAt { get; set; }
}

public sealed class OrdersDbContext(DbContextOptions<OrdersDbContext> options) : DbContext(options)
{
    public DbSet<Order> Orders => Set<Order>();
}
