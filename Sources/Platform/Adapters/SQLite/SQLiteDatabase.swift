import CSQLite
import Synchronization
import Platform

/// One SQLite connection with cached prepared statements. All use goes through `withConnection`,
/// which serialises callers; a function serves one request at a time, so there is no contention.
public final class SQLiteDatabase: Sendable {
    private let state: Mutex<Connection>

    /// Opens (creating if needed) the database at `path` in WAL mode.
    /// `synchronous=NORMAL` in WAL keeps every commit safe from a crash of the process;
    /// only a power loss can drop the last commits, which is right for a local store.
    public init(path: String) throws(SQLiteError) {
        var handle: OpaquePointer?
        let flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX
        let code = sqlite3_open_v2(path, &handle, flags, nil)
        guard code == SQLITE_OK, let handle else {
            let message = handle.map { String(cString: sqlite3_errmsg($0)) } ?? "out of memory"
            sqlite3_close(handle)
            throw SQLiteError(code: code, message: "cannot open \(path): \(message)")
        }
        sqlite3_busy_timeout(handle, 5_000)
        let connection = Connection(handle: handle)
        // Checkpoints (the only fsyncs under synchronous=NORMAL) every 4,000 pages instead of 1,000 keep
        // a busy webhook function off the disk. The page cache stays at SQLite's 2 MB: a 16 MB cache filled
        // up over ~22,000 webhooks and held a warm function at 30 MB resident (measured with
        // sqlite3_memory_used), for a miss rate that barely moved (0.01 -> 0.015 per commit).
        try connection.execute("""
            PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;
            PRAGMA wal_autocheckpoint=4000; PRAGMA cache_size=-2000;
            """)
        state = Mutex(connection)
    }

    public func withConnection<T>(_ body: (Connection) throws -> T) throws -> T {
        try state.withLock { connection in try body(connection) }
    }

    /// Runs `body` in a write transaction taken up front (BEGIN IMMEDIATE), so concurrent writers
    /// queue on the busy timeout instead of failing halfway. Any error rolls everything back.
    public func transaction<T>(_ body: (Connection) throws -> T) throws -> T {
        try withConnection { connection in
            try connection.run(.begin)
            do {
                let result = try body(connection)
                try connection.run(.commit)
                return result
            } catch {
                try? connection.execute("ROLLBACK")
                throw error
            }
        }
    }
}

public struct SQLiteError: Error, CustomStringConvertible, Sendable {
    public let code: Int32
    public let message: String
    public var description: String { "SQLite error \(code): \(message)" }
}

/// A value bound to a statement or read from a row.
public enum SQLiteValue: Sendable, Equatable {
    case text(String)
    case integer(Int64)
    case null

    public var text: String? {
        if case .text(let text) = self { return text }
        return nil
    }

    public var integer: Int64? {
        if case .integer(let number) = self { return number }
        return nil
    }

    public init(_ text: String?) { self = text.map(SQLiteValue.text) ?? .null }
    public init(_ number: Int) { self = .integer(Int64(number)) }
}

/// The raw connection. Not thread-safe on its own: `SQLiteDatabase` guards it.
public final class Connection: @unchecked Sendable {
    let handle: OpaquePointer
    private var statements: [StatementKey: OpaquePointer] = [:]

    init(handle: OpaquePointer) { self.handle = handle }

    deinit {
        for statement in statements.values { sqlite3_finalize(statement) }
        for statement in transactionStatements { sqlite3_finalize(statement) }
        sqlite3_close_v2(handle)
    }

    func error(_ code: Int32, _ context: String) -> SQLiteError {
        SQLiteError(code: code, message: "\(context): \(String(cString: sqlite3_errmsg(handle)))")
    }

    /// Runs one or more statements without parameters (schema, pragmas, transactions).
    public func execute(_ sql: String) throws(SQLiteError) {
        let code = sqlite3_exec(handle, sql, nil, nil, nil)
        guard code == SQLITE_OK else { throw error(code, sql) }
    }

    /// The two statements of every write transaction, kept apart from the cache: looking them up
    /// there hashed their text twice a write.
    enum TransactionStatement: Int {
        case begin, commit

        var sql: String { self == .begin ? "BEGIN IMMEDIATE" : "COMMIT" }
    }
    private var transactionStatements: [OpaquePointer?] = [nil, nil]

    /// Runs BEGIN IMMEDIATE or COMMIT, each prepared once.
    func run(_ kind: TransactionStatement) throws(SQLiteError) {
        let statement: OpaquePointer
        if let prepared = transactionStatements[kind.rawValue] {
            statement = prepared
        } else {
            var made: OpaquePointer?
            let code = sqlite3_prepare_v3(handle, kind.sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &made, nil)
            guard code == SQLITE_OK, let made else { throw error(code, "prepare \(kind.sql)") }
            transactionStatements[kind.rawValue] = made
            statement = made
        }
        let code = sqlite3_step(statement)
        sqlite3_reset(statement)
        guard code == SQLITE_DONE else { throw error(code, kind.sql) }
    }

    /// Runs a statement and returns its rows as text columns (NULL as nil).
    @discardableResult
    public func query(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[String?]] {
        try rows(sql, values).map { row in
            row.map { value in
                switch value {
                case .text(let text): text
                case .integer(let number): String(number)
                case .null: nil
                }
            }
        }
    }

    /// Runs a statement and returns its rows with SQLite's own column types.
    @discardableResult
    public func rows(_ sql: String, _ values: [SQLiteValue] = []) throws(SQLiteError) -> [[SQLiteValue]] {
        let statement = try prepared(sql)
        defer { sqlite3_reset(statement) }
        // Every call binds every parameter it has; only a shorter list could leave an old value behind.
        if values.count < Int(sqlite3_bind_parameter_count(statement)) { sqlite3_clear_bindings(statement) }
        for (index, value) in values.enumerated() {
            let position = Int32(index + 1)
            let code: Int32
            switch value {
            case .text(let text): code = Self.bind(text, to: statement, at: position)
            case .integer(let number): code = sqlite3_bind_int64(statement, position, number)
            case .null: code = sqlite3_bind_null(statement, position)
            }
            guard code == SQLITE_OK else { throw error(code, "bind \(position) of \(sql)") }
        }
        var rows: [[SQLiteValue]] = []
        while true {
            let code = sqlite3_step(statement)
            if code == SQLITE_DONE { return rows }
            guard code == SQLITE_ROW else { throw error(code, sql) }
            let columns = sqlite3_column_count(statement)
            var row: [SQLiteValue] = []
            row.reserveCapacity(Int(columns))
            for column in 0..<columns {
                switch sqlite3_column_type(statement, column) {
                case SQLITE_NULL: row.append(.null)
                case SQLITE_INTEGER: row.append(.integer(sqlite3_column_int64(statement, column)))
                default: row.append(sqlite3_column_text(statement, column).map { .text(String(cString: $0)) } ?? .null)
                }
            }
            rows.append(row)
        }
    }

    /// Binds the string's own UTF-8 bytes with their length (SQLite copies them): passing a String as a
    /// C string made a NUL-terminated copy first, one allocation per value.
    private static func bind(_ text: String, to statement: OpaquePointer, at position: Int32) -> Int32 {
        var text = text
        return text.withUTF8 { bytes in
            guard let base = bytes.baseAddress, !bytes.isEmpty else {
                return sqlite3_bind_text(statement, position, "", 0, csqlite_transient())  // "", not NULL
            }
            return base.withMemoryRebound(to: CChar.self, capacity: bytes.count) {
                sqlite3_bind_text(statement, position, $0, Int32(bytes.count), csqlite_transient())
            }
        }
    }

    /// Rows changed by the last INSERT, UPDATE or DELETE.
    public var changes: Int { Int(sqlite3_changes(handle)) }

    private func prepared(_ sql: String) throws(SQLiteError) -> OpaquePointer {
        if let statement = statements[StatementKey(sql)] { return statement }
        var statement: OpaquePointer?
        let code = sqlite3_prepare_v3(handle, sql, -1, UInt32(SQLITE_PREPARE_PERSISTENT), &statement, nil)
        guard code == SQLITE_OK, let statement else { throw error(code, "prepare \(sql)") }
        statements[StatementKey(sql)] = statement
        return statement
    }
}

/// A statement's text as the key of the prepared-statement cache. Hashing all of a 600-byte UPDATE
/// on every call cost more than binding its values; its length and ends tell the statements apart,
/// and equality still compares the whole text (at once when both are the same stored constant).
struct StatementKey: Hashable {
    let sql: String

    init(_ sql: String) { self.sql = sql }

    func hash(into hasher: inout Hasher) {
        hasher.combine(sql.utf8.count)
        // A native string's bytes are contiguous: the ends are hashed in one call, not byte by byte.
        let hashed = sql.utf8.withContiguousStorageIfAvailable { bytes in
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.prefix(16))))
            hasher.combine(bytes: UnsafeRawBufferPointer(UnsafeBufferPointer(rebasing: bytes.suffix(32))))
        }
        if hashed == nil { hasher.combine(sql) }
    }
}
