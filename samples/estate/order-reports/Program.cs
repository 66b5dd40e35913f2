using Microsoft.Data.Sqlite;
using Microsoft.EntityFrameworkCore;
using OrderReports;
using Orders.Data;

var builder = Host.CreateApplicationBuilder(args);

// The orders service's DbContext, pointed at the orders service's database: OPS203 and OPS202.
builder.Services.AddDbContext<OrdersDbContext>(options =>
    options.UseSqlite(builder.Configuration.GetConnectionString("Orders")));

// An archive database that operability.json does not declare: OPS201.
builder.Services.AddSingleton(_ => new SqliteConnection(builder.Configuration.GetConnectionString("OrdersArchive")));

builder.Services.AddHostedService<DailyReportWorker>();

builder.Build().Run();
