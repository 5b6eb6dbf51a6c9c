import PaymentsCore
import Platform

/// The strict JSON reader (every event and webhook body goes through it). Beyond not crashing, its
/// documented promise is checked: read with a selection or with paths, the same texts are accepted
/// and refused with the same errors, and what is built is the same as the whole tree's part.
extension FuzzTarget {
    static let strictJSON = FuzzTarget(name: "json") { bytes in
        let whole = Result { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes) }
        for selection in JSONFuzzShapes.selections {
            let selected = Result { () throws(JSONSyntaxError) in try JSONValue(parsing: bytes, keeping: selection) }
            switch (whole, selected) {
            case (.success(let tree), .success(let part)):
                check(part == tree.selecting(selection), "a selection built other values than the whole tree holds")
            case (.failure(let a), .failure(let b)):
                check(a == b, "a selection refused the text with another error: \(a) / \(b)")
            default:
                check(false, "a selection accepted what the whole read refused, or the reverse")
            }
        }
        let captures = Result { () throws(JSONSyntaxError) in try JSONCaptures(parsing: bytes, paths: JSONFuzzShapes.paths) }
        switch (whole, captures) {
        case (.success(let tree), .success(let found)):
            for (index, path) in JSONFuzzShapes.paths.paths.enumerated() {
                check(found[index] == tree.at(path), "captured \(path) differs from the tree's")
                let parent = tree.at(Array(path.dropLast()))
                let isObject = if case .object? = parent { true } else { false }
                check(found.hasParentObject(index) == isObject, "hasParentObject(\(path)) differs from the tree")
            }
        case (.failure(let a), .failure(let b)):
            check(a == b, "paths refused the text with another error: \(a) / \(b)")
        default:
            check(false, "paths accepted what the whole read refused, or the reverse")
        }
        // A shallow limit refuses deep texts by the depth rule, never by a crash.
        _ = try? JSONValue(parsing: bytes, maximumDepth: 2)
    }
}

/// The selections and paths the webhooks and events use, with a name a String equals but bytes do
/// not (U+212A KELVIN SIGN is "K").
enum JSONFuzzShapes {
    static let selections: [JSONSelection] = [
        .members(["id": .all, "type": .all, "data": .members(["object": .members(["id": .all, "metadata": .all])])]),
        .members(["\u{212A}": .all, "é": .all, "Records": .all]),
    ]
    static let paths = JSONPaths([["id"], ["type"], ["data", "object", "id"], ["data", "object", "amount"], ["resource", "id"]])
}

extension JSONValue {
    /// The value at `path` from here (the whole value for an empty path), nil when anything on the way is missing.
    func at(_ path: [String]) -> JSONValue? {
        var current: JSONValue? = self
        for name in path { current = current?[name] }
        return current
    }
}
