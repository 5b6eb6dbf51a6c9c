import Platform

/// A duration setting written as a whole number and a unit: `30s`, `5m`, `1h`.
package enum DurationSetting {
    /// Seconds, or an error naming the setting (never quoting its value) when it is malformed or outside `range`.
    public static func seconds(_ name: String, environment: [String: String], default defaultValue: Double,
                               range: ClosedRange<Double>) throws(ConfigurationError) -> Double {
        guard let text = environment[name], !text.isEmpty else { return defaultValue }
        let units: [Character: Double] = ["s": 1, "m": 60, "h": 3600]
        guard let unit = text.last.flatMap({ units[$0] }), let number = Int(text.dropLast()), number >= 0,
              range.contains(Double(number) * unit) else {
            throw ConfigurationError("\(name) must be a duration such as 30s, 5m or 1h, from \(Int(range.lowerBound))s to \(Int(range.upperBound / 3600))h")
        }
        return Double(number) * unit
    }
}
