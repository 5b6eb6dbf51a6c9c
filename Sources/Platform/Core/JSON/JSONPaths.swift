/// Paths into a JSON text whose values a reader wants, and nothing else: `JSONCaptures` reads the
/// whole text by the strict rules and builds only these values, without the objects around them
/// (a webhook's ten fields cost no dictionaries on the way to them).
public struct JSONPaths: Sendable {
    /// Each path as member names from the top, e.g. `["data", "object", "id"]`.
    public let paths: [[String]]
    let selection: JSONSelection
    /// The slot of each path's value, in the order of `paths`.
    let valueSlots: [Int]
    /// The slot of the object that holds each path's value, in the order of `paths`.
    let parentSlots: [Int]
    let slotCount: Int

    public init(_ paths: [[String]]) {
        precondition(!paths.contains(where: \.isEmpty) && Set(paths).count == paths.count, "paths must be distinct and name a member")
        self.paths = paths
        var containers: [[String]: Int] = [:]
        var next = 0
        func slot(of container: [String]) -> Int {
            if let slot = containers[container] { return slot }
            defer { next += 1 }
            containers[container] = next
            return next
        }
        for path in paths {
            for length in 0..<path.count { _ = slot(of: Array(path.prefix(length))) }
        }
        let valueSlots = paths.map { _ in defer { next += 1 }; return next }
        let leafSlots = Dictionary(uniqueKeysWithValues: zip(paths, valueSlots))
        precondition(Set(paths).isDisjoint(with: containers.keys), "a path cannot also lead to another")
        func selection(under prefix: [String]) -> JSONSelection {
            if let leaf = leafSlots[prefix] {
                var all = JSONSelection.all
                all.slot = leaf
                return all
            }
            let names = Set(paths.filter { $0.count > prefix.count && Array($0.prefix(prefix.count)) == prefix }.map { $0[prefix.count] })
            var members = JSONSelection.members(Dictionary(uniqueKeysWithValues: names.map { ($0, selection(under: prefix + [$0])) }))
            members.slot = containers[prefix]
            return members
        }
        self.selection = selection(under: [])
        self.valueSlots = valueSlots
        self.parentSlots = paths.map { containers[Array($0.dropLast())]! }
        self.slotCount = next
    }
}

/// The values at a `JSONPaths`' paths in one JSON text, read as strictly as `JSONValue(parsing:)` reads
/// it (the same texts refused, with the same errors).
public struct JSONCaptures: Sendable {
    let valueSlots: [Int]
    let parentSlots: [Int]
    let slots: Slots

    struct Slots: Sendable {
        var values: [JSONValue?] = []
        var objects: [Bool] = []

        init() {}
        init(count: Int) {
            values = Array(repeating: nil, count: count)
            objects = Array(repeating: false, count: count)
        }
    }

    public init(parsing bytes: [UInt8], paths: JSONPaths, maximumDepth: Int = 64) throws(JSONSyntaxError) {
        self.valueSlots = paths.valueSlots
        self.parentSlots = paths.parentSlots
        self.slots = try StrictJSONParser.capture(bytes, paths, maximumDepth: maximumDepth)
    }

    /// The value at `paths.paths[index]`, or nil when the text has none there (a member missing, or
    /// something other than an object on the way).
    public subscript(index: Int) -> JSONValue? { slots.values[valueSlots[index]] }

    /// Whether the text has an object where `paths.paths[index]` would be a member (`["data", "object"]`
    /// for `["data", "object", "id"]`), whether or not that member is there.
    public func hasParentObject(_ index: Int) -> Bool { slots.objects[parentSlots[index]] }
}
