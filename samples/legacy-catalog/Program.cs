var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/products/{id:int}", (int id) => Results.Ok(new { id, name = $"Product {id}" }));

app.Run();
