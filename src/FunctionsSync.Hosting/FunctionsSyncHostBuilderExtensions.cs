using FunctionsSync.Core;
using FunctionsSync.Marketplaces;
using FunctionsSync.Storage;
using Microsoft.Extensions.Hosting;

namespace FunctionsSync.Hosting;

public static class FunctionsSyncHostBuilderExtensions
{
    /// <summary>
    /// Everything FunctionsSync needs, for any host: the sync engine, the API handlers, Table/Queue storage and the
    /// marketplace adapters. <c>FunctionsApplicationBuilder</c> is an <see cref="IHostApplicationBuilder"/> too.
    /// </summary>
    public static IHostApplicationBuilder AddFunctionsSync(this IHostApplicationBuilder builder)
    {
        builder.Services
            .AddFunctionsSyncCore()
            .AddFunctionsSyncApi()
            .AddFunctionsSyncStorage()
            .AddFunctionsSyncMarketplaces();
        return builder;
    }
}
