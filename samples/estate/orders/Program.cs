using Microsoft.EntityFrameworkCore;
using Orders.Data;

var builder = WebApplication.CreateBuilder(args);

// orders-db is this service's own database (operability.json, "databases"), so OPS2xx stay quiet.
builder.Services.AddDbContext<OrdersDbContext>(options =>
    options.UseSqlite(builder.Configuration.GetConnectionString("Orders")));

builder.Services.AddHealthChecks();

var app = builder.Build();

app.MapHealthChecks("/health");

app.MapGet("/orders/{id:guid}", async (Guid id, OrdersDbContext db) =>
    await db.Orders.FindAsync(id) is { } order ? Results.Ok(order) : Results.NotFound());

app.MapGet("/orders", async (DateTimeOffset since, OrdersDbContext db) =>
    Results.Ok(await db.Orders.Where(o => o.PlacedAt >= since).ToListAsync()));

app.Run();
