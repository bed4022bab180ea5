// The default durable IStore: one SQLite file, patchbay.db, under the controller's data directory.
// One process owns a data directory at a time (the exclusive lock file patchbay.lock enforces it), so this
// process is the only writer: writes are serialized in process, readers run concurrently on their own
// connections (WAL lets them read a consistent snapshot while a write commits), and watches get live events
// from an in-process broadcast after each commit. Layout and semantics: docs/store.md.
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Patchbay.Store;

public sealed partial class SqliteStore : IStore
{
    /// <summary>The database file inside the data directory.</summary>
    public const string DatabaseFileName = "patchbay.db";

    /// <summary>The lock file inside the data directory, held exclusively while a store is open.</summary>
    public const string LockFileName = "patchbay.lock";

    private const int BusyTimeoutMilliseconds = 5000;

    private readonly StoreOptions _options;
    private readonly string _connectionString;
    private readonly FileStream _lockFile;
    private readonly SqliteConnection _writer;
    private readonly SemaphoreSlim _writeLock = new(1, 1);
    private readonly Stack<SqliteConnection> _idleReaders = new();
    private readonly Dictionary<long, LeaseTimes> _leases = [];
    // The writer's statements, prepared once and reused: SQLite then skips parsing and planning them on every
    // transaction. Used only under _writeLock (or by OpenAsync, before anyone else can).
    private readonly Dictionary<string, SqliteCommand> _writerCommands = new(StringComparer.Ordinal);
    private ITimer? _sweepTimer;
    private long _revision;
    private long _eventCount;
    private long _earliestExpiryMs = long.MaxValue;
    private volatile bool _disposed;

    private SqliteStore(string dataDirectory, string databasePath, StoreOptions options, FileStream lockFile, SqliteConnection writer)
    {
        DataDirectory = dataDirectory;
        DatabasePath = databasePath;
        _options = options;
        _lockFile = lockFile;
        _writer = writer;
        _connectionString = writer.ConnectionString;
    }

    /// <summary>The newest schema version this code knows (the last migration's).</summary>
    public static int SchemaVersion => SqliteMigrations.Latest;

    public string DataDirectory { get; }

    public string DatabasePath { get; }

    /// <summary>
    /// Opens (creating when missing) the store in <paramref name="dataDirectory"/>: takes the directory's lock,
    /// applies pending schema migrations, and re-arms every lease for a full ttl from now (as etcd does when a
    /// leader takes over), so that a controller restart does not expire the hosts that were alive before it.
    /// </summary>
    /// <exception cref="StoreException">
    /// The directory is in use by another process, the database's schema is newer than this code, a migration
    /// failed, or SQLite cannot open the file (for example, it is not a database).
    /// </exception>
    public static async Task<SqliteStore> OpenAsync(string dataDirectory, StoreOptions? options = null, CancellationToken cancellationToken = default)
    {
        ArgumentException.ThrowIfNullOrEmpty(dataDirectory);
        options ??= new StoreOptions();
        options.Validate();
        string directory = Path.GetFullPath(dataDirectory);
        Directory.CreateDirectory(directory);
        FileStream lockFile = TakeLock(directory);
        string databasePath = Path.Combine(directory, DatabaseFileName);
        SqliteConnection? writer = null;
        try
        {
            string connectionString = new SqliteConnectionStringBuilder
            {
                DataSource = databasePath,
                Mode = SqliteOpenMode.ReadWriteCreate,
                // This store keeps its own connections open for its lifetime; a pool would hold the file open after dispose.
                Pooling = false,
            }.ToString();
            writer = new SqliteConnection(connectionString);
            await writer.OpenAsync(cancellationToken).ConfigureAwait(false);
            string journal = Convert.ToString(await ScalarAsync(writer, null, "PRAGMA journal_mode=WAL").ConfigureAwait(false), CultureInfo.InvariantCulture) ?? "";
            if (!journal.Equals("wal", StringComparison.OrdinalIgnoreCase))
            {
                throw new StoreException($"database {databasePath}: cannot switch to WAL journal mode (got '{journal}')");
            }

            await ConfigureAsync(writer, readOnly: false).ConfigureAwait(false);
            SqliteMigrations.Apply(writer, databasePath, SqliteMigrations.All);
            SqliteStore store = new(directory, databasePath, options, lockFile, writer);
            await store.LoadAsync().ConfigureAwait(false);
            store._sweepTimer = options.TimeProvider.CreateTimer(
                static state => ((SqliteStore)state!).SweepFromTimer(), store, options.LeaseSweepInterval, options.LeaseSweepInterval);
            return store;
        }
        catch (Exception e)
        {
            if (writer is not null)
            {
                await writer.DisposeAsync().ConfigureAwait(false);
            }

            await lockFile.DisposeAsync().ConfigureAwait(false);
            if (e is SqliteException sqlite)
            {
                // Not a database, unreadable, disk full: say which file, keep SQLite's words.
                throw new StoreException($"database {databasePath}: cannot open: {sqlite.Message}", sqlite);
            }

            throw;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _writeLock.WaitAsync().ConfigureAwait(false);
        try
        {
            if (_disposed)
            {
                return;
            }

            _disposed = true;
            if (_sweepTimer is not null)
            {
                await _sweepTimer.DisposeAsync().ConfigureAwait(false);
            }

            CompleteWatchers();
            lock (_idleReaders)
            {
                while (_idleReaders.TryPop(out SqliteConnection? reader))
                {
                    reader.Dispose();
                }
            }

            foreach (SqliteCommand command in _writerCommands.Values)
            {
                await command.DisposeAsync().ConfigureAwait(false);
            }

            await _writer.DisposeAsync().ConfigureAwait(false);
            await _lockFile.DisposeAsync().ConfigureAwait(false);
        }
        finally
        {
            // Not disposed: callers still waiting for the lock must get in and see ObjectDisposedException, not hang.
            _writeLock.Release();
        }
    }

    private static FileStream TakeLock(string directory)
    {
        string path = Path.Combine(directory, LockFileName);
        try
        {
            // FileShare.None is an exclusive flock(2) on Linux: the kernel drops it when the process dies, even by
            // SIGKILL, so a crashed controller never leaves the directory locked.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException e)
        {
            throw new StoreException($"data directory {directory} is in use by another process (it holds {path}); only one controller may open a data directory", e);
        }
    }

    private static async Task ConfigureAsync(SqliteConnection connection, bool readOnly)
    {
        // synchronous=NORMAL with WAL: a commit is appended to the WAL without fsync, and the WAL is fsynced at
        // checkpoints. Every committed transaction survives the process dying (kill -9), which is the failure
        // the controller must ride out; only an OS crash or power loss may lose the last few transactions, never
        // corrupt the database. FULL would fsync every commit for that last case at a large cost per write.
        string pragmas = $"PRAGMA synchronous=NORMAL; PRAGMA busy_timeout={BusyTimeoutMilliseconds}; PRAGMA query_only={(readOnly ? 1 : 0)};";
        await ExecuteAsync(connection, null, pragmas).ConfigureAwait(false);
    }

    private async Task LoadAsync()
    {
        await using SqliteTransaction transaction = _writer.BeginTransaction();
        _revision = Convert.ToInt64(await WriterScalarAsync(transaction, "SELECT revision FROM meta").ConfigureAwait(false), CultureInfo.InvariantCulture);
        _eventCount = Convert.ToInt64(await WriterScalarAsync(transaction, "SELECT count(*) FROM events").ConfigureAwait(false), CultureInfo.InvariantCulture);
        long now = NowMilliseconds();
        SqliteCommand query = WriterCommand(transaction, "SELECT id, ttl_ms, expires_at FROM leases");
        await using (SqliteDataReader leases = await query.ExecuteReaderAsync().ConfigureAwait(false))
        {
            while (await leases.ReadAsync().ConfigureAwait(false))
            {
                long ttl = leases.GetInt64(1);
                _leases[leases.GetInt64(0)] = new LeaseTimes(ttl, Math.Max(leases.GetInt64(2), now + ttl));
            }
        }

        foreach ((long id, LeaseTimes times) in _leases)
        {
            await WriterExecuteAsync(transaction, "UPDATE leases SET expires_at = $at WHERE id = $id", ("$at", times.ExpiresAtMs), ("$id", id)).ConfigureAwait(false);
        }

        // The history limit may have shrunk since the last run.
        _eventCount = await CompactAsync(transaction, _eventCount).ConfigureAwait(false);
        await transaction.CommitAsync().ConfigureAwait(false);
        UpdateEarliestExpiry();
    }

    private async Task<SqliteConnection> RentReaderAsync(CancellationToken cancellationToken)
    {
        ThrowIfDisposed();
        lock (_idleReaders)
        {
            if (_idleReaders.TryPop(out SqliteConnection? idle))
            {
                return idle;
            }
        }

        SqliteConnection reader = new(_connectionString);
        try
        {
            await reader.OpenAsync(cancellationToken).ConfigureAwait(false);
            await ConfigureAsync(reader, readOnly: true).ConfigureAwait(false);
            return reader;
        }
        catch
        {
            await reader.DisposeAsync().ConfigureAwait(false);
            throw;
        }
    }

    private void ReturnReader(SqliteConnection reader)
    {
        lock (_idleReaders)
        {
            if (!_disposed)
            {
                _idleReaders.Push(reader);
                return;
            }
        }

        reader.Dispose();
    }

    private long NowMilliseconds() => _options.TimeProvider.GetUtcNow().ToUnixTimeMilliseconds();

    private void ThrowIfDisposed() => ObjectDisposedException.ThrowIf(_disposed, this);

    /// <summary>The writer's cached command for <paramref name="sql"/>, bound to these values; the store owns it: do not dispose.</summary>
    private SqliteCommand WriterCommand(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        if (!_writerCommands.TryGetValue(sql, out SqliteCommand? command))
        {
            command = _writer.CreateCommand();
            command.CommandText = sql;
            _writerCommands.Add(sql, command);
        }

        command.Transaction = transaction;
        command.Parameters.Clear();
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private Task<int> WriterExecuteAsync(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters) =>
        WriterCommand(transaction, sql, parameters).ExecuteNonQueryAsync();

    private Task<object?> WriterScalarAsync(SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters) =>
        WriterCommand(transaction, sql, parameters).ExecuteScalarAsync();

    private static SqliteCommand Command(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        SqliteCommand command = connection.CreateCommand();
        command.Transaction = transaction;
        command.CommandText = sql;
        foreach ((string name, object value) in parameters)
        {
            command.Parameters.AddWithValue(name, value);
        }

        return command;
    }

    private static async Task<int> ExecuteAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using SqliteCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteNonQueryAsync().ConfigureAwait(false);
    }

    private static async Task<object?> ScalarAsync(SqliteConnection connection, SqliteTransaction? transaction, string sql, params (string Name, object Value)[] parameters)
    {
        await using SqliteCommand command = Command(connection, transaction, sql, parameters);
        return await command.ExecuteScalarAsync().ConfigureAwait(false);
    }

    private readonly record struct LeaseTimes(long TtlMs, long ExpiresAtMs);
}
