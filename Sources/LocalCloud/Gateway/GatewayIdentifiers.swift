#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Identifiers shaped like the ones HTTP APIs give each request.
enum GatewayIdentifiers {
    /// 16 characters like "JKJaXmPLvHcESHA=": 11 random bytes in base64.
    static func requestID() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<11).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return Data(bytes).base64EncodedString()
    }

    /// An X-Ray trace header, "Root=1-{8 hex digits of the epoch seconds}-{24 hex digits}".
    static func traceID(epochSeconds: Int64) -> String {
        var generator = SystemRandomNumberGenerator()
        let random = (0..<12).map { _ in UInt8.random(in: 0...255, using: &generator) }
        return "Root=1-\(hex(UInt64(max(0, epochSeconds)), digits: 8))-\(random.map { hex(UInt64($0), digits: 2) }.joined())"
    }

    static func hex(_ value: UInt64, digits: Int) -> String {
        let text = String(value, radix: 16)
        return String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
