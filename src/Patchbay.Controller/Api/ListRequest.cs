// The query of a list request (limit, continue and the filters a resource takes), parsed strictly: a
// parameter the resource does not take, a repeated one or a bad value is a 400 naming it. Pages are in
// ordinal order of a key (a name; conversations by id); the continue token is the last key returned,
// base64url-encoded, so a page never repeats or skips an item that existed across both requests.
using System.Buffers.Text;
using System.Globalization;
using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Patchbay.Core.Api;

namespace Patchbay.Controller.Api;

/// <summary>The filters a list resource takes besides limit and continue.</summary>
[Flags]
internal enum ListFilters
{
    None = 0,
    Tenant = 1,
    Network = 2,
    Host = 4,
    Label = 8,
    State = 16,
}

/// <summary>A label selector: the label exists (Value null) or has exactly Value.</summary>
internal sealed record LabelSelector(string Key, string? Value)
{
    public bool Matches(IReadOnlyDictionary<string, string> labels) =>
        labels.TryGetValue(Key, out string? value) && (Value is null || string.Equals(Value, value, StringComparison.Ordinal));
}

internal sealed record ListRequest(
    int Limit,
    string? After,
    string? Tenant,
    string? Network,
    string? Host,
    IReadOnlyList<LabelSelector> Labels,
    string? State)
{
    public const int DefaultLimit = 100;

    public const int MaxLimit = 1000;

    private static readonly (string Name, ListFilters Filter)[] FilterNames =
    [
        ("tenant", ListFilters.Tenant),
        ("network", ListFilters.Network),
        ("host", ListFilters.Host),
        ("label", ListFilters.Label),
        ("state", ListFilters.State),
    ];

    /// <exception cref="ApiRequestException">A parameter the resource does not take, repeated, or with a bad value.</exception>
    public static ListRequest Parse(IQueryCollection query, ListFilters filters)
    {
        ArgumentNullException.ThrowIfNull(query);
        foreach ((string name, StringValues values) in query)
        {
            ListFilters? filter = name switch
            {
                "limit" or "continue" => ListFilters.None,
                _ => FilterNames.FirstOrDefault(f => f.Name == name) is { Name: not null } known ? known.Filter : null,
            };
            if (filter is not ListFilters taken || (taken != ListFilters.None && !filters.HasFlag(taken)))
            {
                throw ApiRequestException.Invalid(name, "Unknown parameter", $"unknown query parameter '{name}'; this list takes {Describe(filters)}");
            }

            if (taken != ListFilters.Label && values.Count > 1)
            {
                throw ApiRequestException.Invalid(name, "Repeated parameter", $"query parameter '{name}' is given {values.Count} times; give it once");
            }

            if (values.Any(string.IsNullOrEmpty))
            {
                throw ApiRequestException.Invalid(name, "Empty parameter", $"query parameter '{name}' is empty; give a value or leave it out");
            }
        }

        return new ListRequest(
            ParseLimit(query["limit"]),
            query["continue"] is { Count: 1 } token ? DecodeToken(token[0]!) : null,
            query["tenant"],
            query["network"],
            query["host"],
            [.. query["label"].Select(l => ParseLabel(l!))],
            query["state"]);
    }

    /// <summary>One page of <paramref name="items"/>, in ordinal order of <paramref name="key"/>, after the token's key.</summary>
    public ListResponse<TView> Page<T, TView>(IEnumerable<T> items, Func<T, string> key, Func<T, TView> view)
    {
        ArgumentNullException.ThrowIfNull(items);
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(view);
        List<T> page = [.. items
            .Where(item => After is null || string.CompareOrdinal(key(item), After) > 0)
            .OrderBy(key, StringComparer.Ordinal)
            .Take(Limit + 1)];
        string? next = null;
        if (page.Count > Limit)
        {
            page.RemoveAt(Limit);
            next = EncodeToken(key(page[^1]));
        }

        return new ListResponse<TView>([.. page.Select(view)], next);
    }

    /// <summary>Every label selector matches.</summary>
    public bool MatchesLabels(IReadOnlyDictionary<string, string> labels) => Labels.All(selector => selector.Matches(labels));

    /// <summary>The key of a conversation: its id, zero-padded so that ordinal order is numeric order.</summary>
    public static string ConversationKey(ulong id) => id.ToString("D20", CultureInfo.InvariantCulture);

    public static string EncodeToken(string key) => Base64Url.EncodeToString(Encoding.UTF8.GetBytes(key));

    private static string DecodeToken(string token)
    {
        try
        {
            return Encoding.UTF8.GetString(Base64Url.DecodeFromChars(token));
        }
        catch (FormatException e)
        {
            throw new ApiRequestException(StatusCodes.Status400BadRequest, "Invalid parameter", $"continue '{token}' is not a token this API returned; pass the 'continue' of the previous page unchanged", "continue", e);
        }
    }

    private static int ParseLimit(StringValues values)
    {
        if (values.Count == 0)
        {
            return DefaultLimit;
        }

        string text = values[0]!;
        return int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out int limit) && limit is >= 1 and <= MaxLimit
            ? limit
            : throw ApiRequestException.Invalid("limit", "Invalid parameter", $"limit '{text}' is not a whole number from 1 to {MaxLimit}");
    }

    private static LabelSelector ParseLabel(string text)
    {
        int equals = text.IndexOf('=', StringComparison.Ordinal);
        string key = equals < 0 ? text : text[..equals];
        return key.Length == 0
            ? throw ApiRequestException.Invalid("label", "Invalid parameter", $"label '{text}' has no key; use label=KEY=VALUE or label=KEY")
            : new LabelSelector(key, equals < 0 ? null : text[(equals + 1)..]);
    }

    private static string Describe(ListFilters filters) =>
        string.Join(", ", ["limit", "continue", .. FilterNames.Where(f => filters.HasFlag(f.Filter)).Select(f => f.Name)]);
}
