using System.Globalization;

namespace FunctionsSync.Simulator.Endpoints;

/// <summary>
/// The list parameters WooCommerce core registers per <c>/wc/v3</c> endpoint, and what WordPress does with a request:
/// a registered enum or range parameter outside its values is refused (400 <c>rest_invalid_param</c>), a parameter the
/// endpoint does not register is ignored. From contracts/woocommerce/core-rest-parameters.md: customers register
/// <c>orderby</c> = id, include, name, registered_date (default name, order asc) and no date filter; orders, products
/// and variations register the CRUD base's <c>modified_after</c>, <c>modified_before</c>, <c>dates_are_gmt</c> and an
/// <c>orderby</c> that includes <c>modified</c> (default date, order desc).
/// </summary>
internal sealed record WooCommerceParameters(string[] OrderBy, string DefaultOrderBy, string DefaultOrder, bool DateFilters)
{
    private const int MaxPerPage = 100;

    private static readonly string[] Crud = ["date", "id", "include", "title", "slug", "modified"];

    public static readonly WooCommerceParameters Orders = new(Crud, "date", "desc", true);
    public static readonly WooCommerceParameters Products = new([.. Crud, "menu_order", "price", "popularity", "rating"], "date", "desc", true);
    public static readonly WooCommerceParameters Variations = new([.. Crud, "menu_order"], "date", "desc", true);
    public static readonly WooCommerceParameters Customers = new(["id", "include", "name", "registered_date"], "name", "asc", false);

    /// <summary>A list request as the endpoint reads it, or the name of the first parameter it refuses.</summary>
    public (WooListRequest? Request, string? Invalid) Read(IQueryCollection q)
    {
        var perPage = 10;
        var page = 1;
        int? offset = null;
        if (q.ContainsKey("per_page") && (!int.TryParse(q["per_page"], NumberStyles.None, CultureInfo.InvariantCulture, out perPage) || perPage < 1 || perPage > MaxPerPage))
        {
            return (null, "per_page");
        }

        if (q.ContainsKey("page") && (!int.TryParse(q["page"], NumberStyles.None, CultureInfo.InvariantCulture, out page) || page < 1))
        {
            return (null, "page");
        }

        if (q.ContainsKey("offset"))
        {
            if (!int.TryParse(q["offset"], NumberStyles.None, CultureInfo.InvariantCulture, out var o))
            {
                return (null, "offset");
            }

            offset = o;
        }

        var orderBy = q.ContainsKey("orderby") ? q["orderby"].ToString() : DefaultOrderBy;
        if (!OrderBy.Contains(orderBy))
        {
            return (null, "orderby");
        }

        var order = q.ContainsKey("order") ? q["order"].ToString() : DefaultOrder;
        if (order is not ("asc" or "desc"))
        {
            return (null, "order");
        }

        DateTimeOffset? after = null, before = null;
        if (DateFilters)
        {
            if (q.ContainsKey("dates_are_gmt") && q["dates_are_gmt"].ToString() is not ("true" or "false" or "1" or "0"))
            {
                return (null, "dates_are_gmt");
            }

            if (q["modified_after"] is { Count: > 0 } raw)
            {
                // The site's timezone is UTC, so dates_are_gmt changes nothing here.
                if (!DateTimeOffset.TryParse(raw.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return (null, "modified_after");
                }

                after = parsed;
            }

            if (q["modified_before"] is { Count: > 0 } rawBefore)
            {
                if (!DateTimeOffset.TryParse(rawBefore.ToString(), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var parsed))
                {
                    return (null, "modified_before");
                }

                before = parsed;
            }
        }

        // include: registered by every list (an array of ids; WordPress also takes them comma-separated).
        List<long>? include = null;
        if (q["include"] is { Count: > 0 } rawInclude || (rawInclude = q["include[]"]).Count > 0)
        {
            include = [];
            foreach (var part in rawInclude.SelectMany(v => (v ?? "").Split(',', StringSplitOptions.RemoveEmptyEntries)))
            {
                if (!long.TryParse(part.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out var id))
                {
                    return (null, "include");
                }

                include.Add(id);
            }
        }

        return (new WooListRequest(perPage, offset ?? ((page - 1) * perPage), orderBy, order == "desc", after, before, include), null);
    }
}

/// <summary>A list request as WooCommerce reads it: the slice, the order and the modification-date filters.</summary>
/// <param name="ModifiedBefore">Exclusive, as WordPress's date query reads core's <c>'before'</c> (no <c>inclusive</c>
/// flag: class-wc-rest-crud-controller.php prepare_objects_query); dates are stored to the second.</param>
/// <param name="Include">Only these ids (<c>include</c>); null: any.</param>
internal sealed record WooListRequest(int PerPage, int Skip, string OrderBy, bool Descending, DateTimeOffset? ModifiedAfter, DateTimeOffset? ModifiedBefore, IReadOnlyList<long>? Include = null)
{
    /// <summary><see cref="ModifiedBefore"/> as the store's inclusive, second-precise upper bound.</summary>
    public DateTimeOffset? MaxModified => ModifiedBefore is { } before ? DateTimeOffset.FromUnixTimeSeconds(before.ToUnixTimeSeconds()).AddSeconds(-1) : null;

    public bool Admits(DateTimeOffset modified) => (ModifiedAfter is not { } after || modified > after) && (MaxModified is not { } max || modified <= max);
}
