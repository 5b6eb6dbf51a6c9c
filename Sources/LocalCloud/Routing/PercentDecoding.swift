/// The one percent-decoding of the local tooling: `%XX` sequences decoded as UTF-8, and `+` read as a
/// space when `plusIsSpace` (HTML forms, as the providers' APIs read their query strings; paths keep
/// `+`). A broken escape stays as it is; the text is returned unchanged when the bytes are not UTF-8.
func percentDecoded(_ text: some StringProtocol, plusIsSpace: Bool = false) -> String {
    guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return String(text) }
    var bytes: [UInt8] = []
    let utf8 = Array(text.utf8)
    var index = 0
    func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): byte - UInt8(ascii: "0")
        case UInt8(ascii: "a")...UInt8(ascii: "f"): byte - UInt8(ascii: "a") + 10
        case UInt8(ascii: "A")...UInt8(ascii: "F"): byte - UInt8(ascii: "A") + 10
        default: nil
        }
    }
    while index < utf8.count {
        if utf8[index] == UInt8(ascii: "%"), index + 2 < utf8.count,
           let high = hexValue(utf8[index + 1]), let low = hexValue(utf8[index + 2]) {
            bytes.append(high << 4 | low)
            index += 3
        } else {
            bytes.append(plusIsSpace && utf8[index] == UInt8(ascii: "+") ? 0x20 : utf8[index])
            index += 1
        }
    }
    return String(validating: bytes, as: UTF8.self) ?? String(text)
}
