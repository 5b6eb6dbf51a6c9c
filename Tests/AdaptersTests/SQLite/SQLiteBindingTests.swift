import Foundation
import SQLiteAdapter
import XCTest
import Platform

/// Values go into SQLite and come back exactly: empty text stays text (not NULL), any Unicode stays
/// itself, and a statement run again with fewer values does not keep an old one.
final class SQLiteBindingTests: XCTestCase {
    func database() throws -> SQLiteDatabase {
        try SQLiteDatabase(path: FileManager.default.temporaryDirectory.appendingPathComponent("binding-\(UUID().uuidString).sqlite").path)
    }

    func testTextRoundTripsExactlyAndEmptyTextIsNotNull() throws {
        let db = try database()
        for text in ["", "a", "é\u{301}😀", String(repeating: "x", count: 5_000), "nul\u{0}inside"] {
            let row = try db.withConnection { try $0.rows("SELECT ?, typeof(?), length(CAST(? AS BLOB))", [.text(text), .text(text), .text(text)]) }
            XCTAssertEqual(row.first?[1], .text("text"), "\(text.debugDescription)")
            XCTAssertEqual(row.first?[2], .integer(Int64(text.utf8.count)), "\(text.debugDescription)")
            if !text.contains("\u{0}") { XCTAssertEqual(row.first?[0], .text(text)) }
        }
    }

    func testAShorterListOfValuesLeavesNoOldValueBound() throws {
        let db = try database()
        let sql = "SELECT ?, ?"
        XCTAssertEqual(try db.withConnection { try $0.rows(sql, [.text("a"), .text("b")]) }.first, [.text("a"), .text("b")])
        XCTAssertEqual(try db.withConnection { try $0.rows(sql, [.text("c")]) }.first, [.text("c"), .null])
    }
}
