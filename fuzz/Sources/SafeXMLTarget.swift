@testable import BraintreeProvider

/// The XML reader of Braintree's answers and webhook payloads. Beyond not crashing: any element's
/// text, escaped and read back, is the same text (what `escape` writes, `parse` reads).
extension FuzzTarget {
    static let safeXML = FuzzTarget(name: "safexml") { bytes in
        guard let root = try? SafeXML.parse(bytes) else { return }
        var elements = [root]
        var visited = 0
        while let element = elements.popLast(), visited < 64 {
            visited += 1
            _ = element.trimmedText
            _ = element.value(at: "subject/transaction/id")
            let escaped = "<t a=\"\(SafeXML.escape(element.text))\">\(SafeXML.escape(element.text))</t>"
            guard let again = try? SafeXML.parse(Array(escaped.utf8)) else {
                check(false, "an element's escaped text does not read back")
                return
            }
            check(again.text == element.text, "an element's text changed through escape and parse")
            check(again.attributes["a"] == element.text, "an element's text changed through escape into an attribute")
            elements += element.children
        }
    }
}
