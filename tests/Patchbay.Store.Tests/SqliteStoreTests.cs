// What only the SQLite store promises: the data directory's layout, durability across closing, reopening and
// a kill -9 of the writing process, schema migrations, and one process per data directory.
using System.Diagnostics;
using System.Globalization;
using System.Text;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace Patchbay.Store.Tests;

public sealed class SqliteStoreTests : IDisposable
{
    private readonly TempDirectory _temp = new();
    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));

    public void Dispose() => _temp.Dispose();

    private string DataDirectory => Path.Combine(_temp.Path, "data");

    private string DatabasePath => Path.Combine(DataDirectory, SqliteStore.DatabaseFileName);

    private Task<SqliteStore> OpenAsync(int historyLimit = 10_000) =>
        SqliteStore.OpenAsync(DataDirectory, new StoreOptions { TimeProvider = _time, HistoryLimit = historyLimit });

    private SqliteConnection OpenRaw()
    {
        SqliteConnection connection = new(new SqliteConnectionStringBuilder { DataSource = DatabasePath, Pooling = false }.ToString());
        connection.Open();
        return connection;
    }

    private static List<object[]> Query(SqliteConnection connection, string sql)
    {
        using SqliteCommand command = connection.CreateCommand();
        command.CommandText = sql;
        using SqliteDataReader reader = command.ExecuteReader();
        List<object[]> rows = [];
        while (reader.Read())
        {
            object[] row = new object[reader.FieldCount];
            reader.GetValues(row);
            rows.Add(row);
        }

        return rows;
    }

    private static async Task PutAsync(SqliteStore store, string key, string value, long lease = 0) =>
        Assert.True((await store.TxnAsync([], [new StoreOp.Put(key, Encoding.UTF8.GetBytes(value), lease)])).Succeeded);

    [Fact]
    public async Task Open_NewDirectory_CreatesOneDatabaseInWalModeWithItsSchemaVersionRecorded()
    {
        await using (SqliteStore store = await OpenAsync())
        {
            await PutAsync(store, "/v1/a", "x");
            Assert.Equal(DatabasePath, store.DatabasePath);
        }

        Assert.Equal(
            [SqliteStore.DatabaseFileName, SqliteStore.LockFileName],
            Directory.GetFiles(DataDirectory).Select(Path.GetFileName).Where(name => !name!.StartsWith(SqliteStore.DatabaseFileName + "-", StringComparison.Ordinal)).Order(StringComparer.Ordinal));
        using SqliteConnection raw = OpenRaw();
        Assert.Equal("wal", Query(raw, "PRAGMA journal_mode")[0][0]);
        Assert.Equal([(long)SqliteStore.SchemaVersion], Query(raw, "SELECT version FROM schema_migrations ORDER BY version").Select(r => r[0]));
        Assert.Equal(1L, Query(raw, "SELECT revision FROM meta")[0][0]);
    }

    [Fact]
    public async Task Open_Again_RunsNoMigrationTwice()
    {
        await (await OpenAsync()).DisposeAsync();
        List<object[]> first;
        using (SqliteConnection raw = OpenRaw())
        {
            first = Query(raw, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version");
        }

        _time.Advance(TimeSpan.FromHours(1));
        await (await OpenAsync()).DisposeAsync();

        using SqliteConnection again = OpenRaw();
        Assert.Equal(first, Query(again, "SELECT version, name, applied_at FROM schema_migrations ORDER BY version"));
        Assert.Equal(SqliteMigrations.All.Count, first.Count);
    }

    [Fact]
    public async Task Reopen_AfterDispose_KeepsKeysRevisionsLeasesAndHistory()
    {
        long lease;
        await using (SqliteStore store = await OpenAsync())
        {
            lease = await store.GrantLeaseAsync(TimeSpan.FromMinutes(1));
            await PutAsync(store, "/v1/a", "1");
            await PutAsync(store, "/v1/a", "2");
            await PutAsync(store, "/v1/hosts/h1", "up", lease);
            await store.TxnAsync([], [new StoreOp.Put("/v1/b", new byte[] { 0, 255 }), new StoreOp.Delete("/v1/a")]);
        }

        await using SqliteStore reopened = await OpenAsync();

        Assert.Equal(4, await reopened.RevisionAsync());
        StoreRange range = await reopened.ListAsync("/v1/");
        Assert.Equal(
            ["/v1/b 4 4 1 0 00-FF", $"/v1/hosts/h1 3 3 1 {lease} 75-70"],
            range.Entries.Select(e => $"{e.Key} {e.CreateRevision} {e.ModRevision} {e.Version} {e.Lease} {Convert.ToHexString(e.Value.Span).Insert(2, "-")}"));
        await using IAsyncEnumerator<StoreEvent> watch = reopened.WatchAsync("/v1/a", 0, new CancellationTokenSource(TimeSpan.FromSeconds(30)).Token).GetAsyncEnumerator();
        List<string> history = [];
        for (int i = 0; i < 3 && await watch.MoveNextAsync(); i++)
        {
            history.Add($"{watch.Current.Revision} {watch.Current.Type} {watch.Current.Entry.Version}");
        }

        Assert.Equal(["1 Put 1", "2 Put 2", "4 Delete 0"], history);
        Assert.True(await reopened.KeepAliveAsync(lease));
        StoreTxnResult next = await reopened.TxnAsync([new StoreCompare("/v1/b", 4)], [new StoreOp.Put("/v1/b", new byte[] { 1 })]);
        Assert.Equal(5, next.Revision);
        Assert.NotEqual(lease, await reopened.GrantLeaseAsync(TimeSpan.FromSeconds(1)));
    }

    [Fact]
    public async Task Reopen_AfterDowntime_ReArmsLeasesForAFullTtl()
    {
        await using (SqliteStore store = await OpenAsync())
        {
            long lease = await store.GrantLeaseAsync(TimeSpan.FromSeconds(10));
            await PutAsync(store, "/v1/hosts/h1", "up", lease);
            _time.Advance(TimeSpan.FromSeconds(8));
        }

        // Down past the lease's original expiry: a controller restart must not expire every host at once.
        _time.Advance(TimeSpan.FromSeconds(5));
        await using SqliteStore reopened = await OpenAsync();

        Assert.NotNull(await reopened.GetAsync("/v1/hosts/h1"));
        _time.Advance(TimeSpan.FromSeconds(9));
        Assert.NotNull(await reopened.GetAsync("/v1/hosts/h1"));
        _time.Advance(TimeSpan.FromSeconds(2));
        Assert.Null(await reopened.GetAsync("/v1/hosts/h1"));
    }

    [Fact]
    public async Task Reopen_WithSmallerHistoryLimit_CompactsAndKeepsTheCompactionAcrossReopen()
    {
        await using (SqliteStore store = await OpenAsync(historyLimit: 100))
        {
            for (int i = 1; i <= 6; i++)
            {
                await PutAsync(store, $"/v1/k{i}", "x");
            }
        }

        await (await OpenAsync(historyLimit: 2)).DisposeAsync();
        await using SqliteStore reopened = await OpenAsync(historyLimit: 100);

        await using IAsyncEnumerator<StoreEvent> tooOld = reopened.WatchAsync("", 3).GetAsyncEnumerator();
        StoreCompactedException error = await Assert.ThrowsAsync<StoreCompactedException>(async () => await tooOld.MoveNextAsync());
        Assert.Equal(4, error.CompactedRevision);
        using SqliteConnection raw = OpenRaw();
        Assert.Equal([5L, 6L], Query(raw, "SELECT revision FROM events ORDER BY seq").Select(r => r[0]));
    }

    [Fact]
    public async Task Open_DatabaseWithANewerSchema_IsRefusedNamingBothVersions()
    {
        await (await OpenAsync()).DisposeAsync();
        int future = SqliteStore.SchemaVersion + 7;
        using (SqliteConnection raw = OpenRaw())
        {
            Query(raw, $"INSERT INTO schema_migrations (version, name, applied_at) VALUES ({future}, 'from the future', 'then')");
        }

        StoreException error = await Assert.ThrowsAsync<StoreException>(() => OpenAsync());

        Assert.Contains($"schema version {future}", error.Message, StringComparison.Ordinal);
        Assert.Contains($"version {SqliteStore.SchemaVersion} that this patchbay knows", error.Message, StringComparison.Ordinal);
        Assert.Contains(DatabasePath, error.Message, StringComparison.Ordinal);
        using (SqliteConnection raw = OpenRaw())
        {
            Query(raw, $"DELETE FROM schema_migrations WHERE version = {future}");
        }

        // The refused open released the directory.
        await (await OpenAsync()).DisposeAsync();
    }

    [Fact]
    public async Task Open_FileThatIsNotADatabase_IsRefusedNamingItAndReleasesTheDirectory()
    {
        Directory.CreateDirectory(DataDirectory);
        await File.WriteAllTextAsync(DatabasePath, new string('x', 4096));

        StoreException error = await Assert.ThrowsAsync<StoreException>(() => OpenAsync());

        Assert.StartsWith($"database {DatabasePath}: cannot open: ", error.Message, StringComparison.Ordinal);
        Assert.IsType<SqliteException>(error.InnerException);
        File.Delete(DatabasePath);
        await (await OpenAsync()).DisposeAsync();
    }

    [Fact]
    public void Migrations_EachInItsOwnTransaction_AFailureKeepsTheEarlierOnesAndNamesItself()
    {
        Directory.CreateDirectory(DataDirectory);
        using SqliteConnection raw = OpenRaw();
        SqliteMigration one = new(1, "one", "CREATE TABLE one (x INTEGER)");
        SqliteMigration two = new(2, "two", "CREATE TABLE two (x INTEGER)");
        SqliteMigration broken = new(3, "broken", "CREATE TABLE three (x INTEGER); INSERT INTO nowhere VALUES (1)");

        Assert.Equal(1, SqliteMigrations.Apply(raw, DatabasePath, [one]));
        StoreException error = Assert.Throws<StoreException>(() => SqliteMigrations.Apply(raw, DatabasePath, [one, two, broken]));

        Assert.Contains("schema migration 3 (broken) failed", error.Message, StringComparison.Ordinal);
        Assert.Equal([1L, 2L], Query(raw, "SELECT version FROM schema_migrations ORDER BY version").Select(r => r[0]));
        Assert.Equal(["one", "schema_migrations", "two"], Query(raw, "SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").Select(r => r[0]));
    }

    [Fact]
    public async Task Open_DirectoryInUse_IsRefusedUntilTheOwnerCloses()
    {
        SqliteStore owner = await OpenAsync();

        StoreException error = await Assert.ThrowsAsync<StoreException>(() => OpenAsync());

        Assert.Equal($"data directory {DataDirectory} is in use by another process (it holds {Path.Combine(DataDirectory, SqliteStore.LockFileName)}); only one controller may open a data directory", error.Message);
        await PutAsync(owner, "/v1/a", "still mine");
        await owner.DisposeAsync();
        await using SqliteStore next = await OpenAsync();
        Assert.NotNull(await next.GetAsync("/v1/a"));
    }

    [Fact]
    public async Task KilledWriter_EveryCommittedTransactionSurvivesAndTheDirectoryOpensAgain()
    {
        const int Limit = 100_000;
        using CancellationTokenSource guard = new(TimeSpan.FromSeconds(120));
        using Process child = StartWriter(Limit);
        int reported = 0;
        try
        {
            Assert.Equal("open", await child.StandardOutput.ReadLineAsync(guard.Token));
            while (reported < 300 && await child.StandardOutput.ReadLineAsync(guard.Token) is { } line)
            {
                reported = ParseCommitted(line);
            }
        }
        finally
        {
            // SIGKILL: no finally blocks, no dispose, no checkpoint in the child.
            child.Kill();
            await child.WaitForExitAsync(CancellationToken.None);
        }

        // Lines already written before the kill were committed too.
        while (await child.StandardOutput.ReadLineAsync(guard.Token) is { } line)
        {
            reported = ParseCommitted(line);
        }

        Assert.True(reported >= 300, $"the writer reported only {reported} commits; stderr: {await child.StandardError.ReadToEndAsync(guard.Token)}");
        Assert.True(reported < Limit, "the writer finished before it was killed");
        await using SqliteStore reopened = await OpenAsync();
        long revision = await reopened.RevisionAsync();
        StoreRange range = await reopened.ListAsync("/v1/k/");
        // Every reported commit is there; a commit the child finished but had no time to report may be too; nothing else.
        Assert.InRange(revision, reported, reported + 1);
        Assert.Equal(Enumerable.Range(1, (int)revision).Select(i => $"/v1/k/{i:D6}=value {i}@{i}"), range.Entries.Select(e => $"{e.Key}={Encoding.UTF8.GetString(e.Value.Span)}@{e.ModRevision}"));
    }

    private Process StartWriter(int count)
    {
        string host = Environment.ProcessPath is { } path && Path.GetFileNameWithoutExtension(path) == "dotnet" ? path : "dotnet";
        ProcessStartInfo start = new(host)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string argument in new[] { "exec", typeof(Program).Assembly.Location, Program.WriterCommand, DataDirectory, count.ToString(CultureInfo.InvariantCulture) })
        {
            start.ArgumentList.Add(argument);
        }

        return Process.Start(start) ?? throw new InvalidOperationException($"could not start {host}");
    }

    private static int ParseCommitted(string line)
    {
        string[] parts = line.Split(' ');
        Assert.True(parts is ["committed", _, _], $"unexpected writer output: {line}");
        int number = int.Parse(parts[1], CultureInfo.InvariantCulture);
        Assert.Equal(parts[1], parts[2]);
        return number;
    }
}
