namespace FunctionsSync.Core.Api;

/// <summary>A body that is not JSON (a finite event stream): both hosts write it as it is, with its content type.</summary>
public sealed record RawBody(string ContentType, string Text);
