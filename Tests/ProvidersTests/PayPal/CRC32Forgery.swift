@testable import PayPalProvider
import Platform

/// Forges a body with a chosen CRC-32, as an attacker replaying a PayPal delivery would: CRC-32 is
/// affine over GF(2), so the low four bits of each byte of a placeholder (written as `` ` `` and
/// `a`–`o`, valid inside a JSON string) are free variables, and the bits that give the wanted CRC are
/// one linear system, solved by Gaussian elimination.
enum CRC32Forgery {
    /// `template` with `placeholder` (at most 16 bytes, at least 8) rewritten so the CRC-32 is `crc`; nil when unsolvable.
    static func body(_ template: String, placeholder: String, crc target: UInt32) -> String? {
        var bytes = Array(template.utf8)
        let marker = Array(placeholder.utf8)
        guard (8...16).contains(marker.count),
              let start = (0...(bytes.count - marker.count)).first(where: { bytes[$0..<($0 + marker.count)].elementsEqual(marker) })
        else { return nil }
        let positions = Array(start..<(start + marker.count))
        for index in positions { bytes[index] = 0x60 }
        let base = CRC32.checksum(bytes)
        // Column j: what flipping variable j (bit j % 4 of byte j / 4) does to the CRC.
        var columns: [UInt32] = []
        for index in positions {
            for bit in 0..<4 {
                var flipped = bytes
                flipped[index] ^= 1 << bit
                columns.append(CRC32.checksum(flipped) ^ base)
            }
        }
        // 32 equations (one per CRC bit) over up to 64 unknowns: row r is the unknowns touching CRC bit r.
        var rows: [(mask: UInt64, value: Bool)] = (0..<32).map { bit in
            var mask: UInt64 = 0
            for (j, column) in columns.enumerated() where column >> bit & 1 == 1 { mask |= 1 << UInt64(j) }
            return (mask, (base ^ target) >> bit & 1 == 1)
        }
        var pivots: [(row: Int, column: Int)] = []
        var next = 0
        for column in 0..<columns.count where next < rows.count {
            guard let found = (next..<rows.count).first(where: { rows[$0].mask >> UInt64(column) & 1 == 1 }) else { continue }
            rows.swapAt(next, found)
            for other in 0..<rows.count where other != next && rows[other].mask >> UInt64(column) & 1 == 1 {
                rows[other].mask ^= rows[next].mask
                rows[other].value = rows[other].value != rows[next].value
            }
            pivots.append((next, column))
            next += 1
        }
        guard !rows[next...].contains(where: { $0.value }) else { return nil }
        // Free unknowns stay 0; each pivot unknown takes its row's value.
        for (row, column) in pivots where rows[row].value {
            bytes[positions[column / 4]] ^= 1 << UInt8(column % 4)
        }
        guard CRC32.checksum(bytes) == target else { return nil }
        return String(decoding: bytes, as: UTF8.self)
    }
}
