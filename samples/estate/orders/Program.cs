var builder = WebApplication.CreateBuilder(args);
var app = builder.Build();

app.MapGet("/orders/{id:guid}", (Guid id) => Results.Ok(new { id, status = "placed" }));

app.Run();
