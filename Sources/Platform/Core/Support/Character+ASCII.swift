extension Character {
    /// 0 to 9 only: `isNumber` takes every script's digits, which no amount, port or address may hold.
    public var isASCIIDigit: Bool { ("0"..."9").contains(self) }
}
