using System.Net.Http;
using System.Threading.Tasks;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

var builder = WebApplication.CreateBuilder(args);
builder.AddOperability();
builder.Services.AddOperabilityClient<PaymentsClient>("payments");

var app = builder.Build();
app.MapOperability();

app.MapGet("/", () => "orders");
app.MapGet("/orders/{id:int}", (int id) => id > 0 ? Results.Ok(new { id }) : Results.NotFound());
app.MapGet("/broken", () => Results.StatusCode(StatusCodes.Status500InternalServerError));
app.MapPost("/orders", () => Results.Created("/orders/1", new { id = 1 }));
app.MapGet("/pay", async (PaymentsClient payments) => Results.Text(await payments.StatusAsync()));

app.Run();

/// <summary>A typed client of the declared dependency "payments".</summary>
public sealed class PaymentsClient(HttpClient http)
{
    /// <summary>The dependency's status text.</summary>
    public Task<string> StatusAsync() => http.GetStringAsync("status");
}

/// <summary>Visible to WebApplicationFactory.</summary>
public partial class Program;
