// The SQLite schema as an ordered list of migrations. Each runs once, in its own transaction, at open, and is
// recorded in schema_migrations; a database recorded at a version newer than this list is refused, because
// older code cannot know what a newer schema means. Add a migration by appending it; never edit a shipped one.
using System.Globalization;
using Microsoft.Data.Sqlite;

namespace Patchbay.Store;

internal sealed record SqliteMigration(int Version, string Name, string Sql);

internal static class SqliteMigrations
{
    public static IReadOnlyList<SqliteMigration> All { get; } =
    [
        new(1, "kv, meta, events, leases", """
            -- One row: the store-wide revision and the newest revision whose events were dropped.
            CREATE TABLE meta (
                id INTEGER PRIMARY KEY CHECK (id = 1),
                revision INTEGER NOT NULL,
                compacted_revision INTEGER NOT NULL
            );
            INSERT INTO meta (id, revision, compacted_revision) VALUES (1, 0, 0);

            -- Live keys. lease 0 means none. No foreign key to leases: lease existence is checked before any
            -- write, and a lease's keys are deleted in the transaction that removes the lease.
            CREATE TABLE kv (
                key TEXT PRIMARY KEY,
                value BLOB NOT NULL,
                create_rev INTEGER NOT NULL,
                mod_rev INTEGER NOT NULL,
                version INTEGER NOT NULL,
                lease INTEGER NOT NULL
            ) WITHOUT ROWID;
            CREATE INDEX kv_lease ON kv (lease) WHERE lease <> 0;

            -- Watch history, oldest first by seq (a transaction's events share its revision); compacted to the
            -- newest HistoryLimit rows.
            CREATE TABLE events (
                seq INTEGER PRIMARY KEY AUTOINCREMENT,
                revision INTEGER NOT NULL,
                type INTEGER NOT NULL,
                key TEXT NOT NULL,
                value BLOB NOT NULL,
                create_rev INTEGER NOT NULL,
                version INTEGER NOT NULL,
                lease INTEGER NOT NULL
            );
            CREATE INDEX events_revision ON events (revision);

            -- AUTOINCREMENT: a revoked lease id is never handed out again, also across restarts.
            CREATE TABLE leases (
                id INTEGER PRIMARY KEY AUTOINCREMENT,
                ttl_ms INTEGER NOT NULL,
                expires_at INTEGER NOT NULL
            );
            """),
    ];

    public static int Latest => All[^1].Version;

    /// <summary>Applies every migration newer than the database's version, each in its own transaction; returns the version reached.</summary>
    public static int Apply(SqliteConnection connection, string databasePath, IReadOnlyList<SqliteMigration> migrations)
    {
        using (SqliteCommand create = connection.CreateCommand())
        {
            create.CommandText = "CREATE TABLE IF NOT EXISTS schema_migrations (version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL)";
            create.ExecuteNonQuery();
        }

        int current = CurrentVersion(connection);
        int known = migrations.Count == 0 ? 0 : migrations[^1].Version;
        if (current > known)
        {
            throw new StoreException(
                $"database {databasePath} has schema version {current}, newer than version {known} that this patchbay knows; run a patchbay at least as new as the one that wrote it");
        }

        foreach (SqliteMigration migration in migrations.Where(m => m.Version > current))
        {
            using SqliteTransaction transaction = connection.BeginTransaction();
            try
            {
                using (SqliteCommand step = connection.CreateCommand())
                {
                    step.Transaction = transaction;
                    step.CommandText = migration.Sql;
                    step.ExecuteNonQuery();
                }

                using (SqliteCommand record = connection.CreateCommand())
                {
                    record.Transaction = transaction;
                    record.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES ($version, $name, $at)";
                    record.Parameters.AddWithValue("$version", migration.Version);
                    record.Parameters.AddWithValue("$name", migration.Name);
                    record.Parameters.AddWithValue("$at", DateTimeOffset.UtcNow.ToString("O", CultureInfo.InvariantCulture));
                    record.ExecuteNonQuery();
                }

                transaction.Commit();
            }
            catch (SqliteException e)
            {
                throw new StoreException($"database {databasePath}: schema migration {migration.Version} ({migration.Name}) failed: {e.Message}", e);
            }

            current = migration.Version;
        }

        return current;
    }

    private static int CurrentVersion(SqliteConnection connection)
    {
        using SqliteCommand query = connection.CreateCommand();
        query.CommandText = "SELECT coalesce(max(version), 0) FROM schema_migrations";
        return Convert.ToInt32(query.ExecuteScalar(), CultureInfo.InvariantCulture);
    }
}
