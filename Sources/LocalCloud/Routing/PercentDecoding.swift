import Platform

/// The local tooling's percent-decoding of path parameters and query strings, as text: the platform's
/// lenient `PercentEncoding.decode` (`+` read as a space when `plusIsSpace`: HTML forms, as the providers'
/// APIs read their query strings; paths keep `+`), the text returned unchanged when the bytes are not UTF-8.
func percentDecoded(_ text: some StringProtocol, plusIsSpace: Bool = false) -> String {
    guard text.contains("%") || (plusIsSpace && text.contains("+")) else { return String(text) }
    return String(validating: PercentEncoding.decode(text.utf8, plusIsSpace: plusIsSpace), as: UTF8.self) ?? String(text)
}
