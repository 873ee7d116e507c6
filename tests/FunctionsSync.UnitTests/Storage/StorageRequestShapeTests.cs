using Azure.Core;
using Azure.Core.Pipeline;
using FunctionsSync.Storage.Tables;

namespace FunctionsSync.UnitTests.Storage;

/// <summary>A storage request's shape names its method, table or queue (without the deployment's prefix) and kind, never its keys.</summary>
public sealed class StorageRequestShapeTests
{
    [Theory]
    [InlineData("GET", "http://127.0.0.1:10002/devstoreaccount1/bc1syncstate(PartitionKey='p1',RowKey='lease')", "GET syncstate point")]
    [InlineData("GET", "https://acct.table.core.windows.net/bc1syncstate(PartitionKey='p1',RowKey='lease')", "GET syncstate point")]
    [InlineData("GET", "http://127.0.0.1:10002/devstoreaccount1/bc1syncstate()?$filter=PartitionKey%20eq%20'p1'", "GET syncstate query")]
    [InlineData("PATCH", "https://acct.table.core.windows.net/bc1indexes(PartitionKey='states%7C00',RowKey='c1')", "PATCH indexes point")]
    [InlineData("POST", "https://acct.table.core.windows.net/$batch", "POST $batch resource")]
    [InlineData("POST", "http://127.0.0.1:10001/devstoreaccount1/bc1webhookevents/messages", "POST webhookevents messages")]
    [InlineData("DELETE", "https://acct.queue.core.windows.net/bc1syncjobs/messages/abc?popreceipt=x", "DELETE syncjobs messages")]
    [InlineData("GET", "https://acct.queue.core.windows.net/bc1syncjobs?comp=metadata", "GET syncjobs resource")]
    public void A_request_is_named_by_its_shape(string method, string uri, string shape)
    {
        var request = HttpPipelineBuilder.Build(new TestOptions()).CreateRequest();
        request.Method = RequestMethod.Parse(method);
        request.Uri.Reset(new Uri(uri));
        Assert.Equal(shape, StorageRequestShape.Of(request, "bc1"));
    }

    private sealed class TestOptions : ClientOptions;
}
