namespace FunctionsSync.Simulator.Data;

public sealed record SimCustomer(long Id, string FirstName, string LastName, string Email, int OrdersCount, DateTimeOffset CreatedAt, DateTimeOffset UpdatedAt);
