var builder = WebApplication.CreateBuilder(args);

// No timeout anywhere in this registration: a slow pricing service would hold every request for 100 s (OPS103).
builder.Services.AddHttpClient("pricing", client => client.BaseAddress = new Uri("http://pricing"));

var app = builder.Build();

app.MapGet("/products/{id:int}", (int id) => Results.Ok(new { id, name = $"Product {id}" }));

app.Run();
