import Foundation
import XCTest
import TestSupport
import Platform

final class MotoServerTests: XCTestCase {
    func testAServerOfItsOwnAnswersAndIsGoneAfterStop() throws {
        let server = try MotoServer()
        XCTAssertTrue(MotoServer.answers(port: server.port))
        server.stop()
        XCTAssertFalse(MotoServer.answers(port: server.port))
        server.stop()  // twice is harmless
    }

    func testMissingMotoIsAFailureThatSaysWhatToRun() {
        let nowhere = FileManager.default.temporaryDirectory.appendingPathComponent("no-moto-\(UUID().uuidString)")
        XCTAssertThrowsError(try MotoServer.locate(packageRoot: nowhere, path: nowhere.path)) { error in
            XCTAssertTrue("\(error)".contains("run `bash scripts/setup.sh`"), "\(error)")
        }
        XCTAssertTrue(try MotoServer.locate().hasSuffix("/moto_server"))
    }
}
