import Foundation
import TestSupport
import Platform

/// Generated text for measuring CardData: card numbers of every brand written in every way that must
/// still be refused, and ordinary values that must not be. Seeded, so a failure names a reproducible sample.
struct CardDataCorpus {
    var random: SeededGenerator

    init(seed: UInt64) { random = SeededGenerator(seed: seed) }

    mutating func digit() -> Int { Int.random(in: 0...9, using: &random) }

    mutating func digits(_ count: Int) -> String {
        String((0..<count).map { _ in Character(String(digit())) })
    }

    mutating func pick<T>(_ choices: [T]) -> T { choices.randomElement(using: &random)! }

    // MARK: Check digits

    static func luhnCheckDigit(for body: String) -> Int {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            var value = character.wholeNumberValue!
            if offset % 2 == 0 { value *= 2; if value > 9 { value -= 9 } }
            sum += value
        }
        return (10 - sum % 10) % 10
    }

    /// GS1's check digit for EAN-13 and UPC-A: weights 3 and 1 alternating from the last body digit.
    static func gtinCheckDigit(for body: String) -> Int {
        var sum = 0
        for (offset, character) in body.reversed().enumerated() {
            sum += character.wholeNumberValue! * (offset % 2 == 0 ? 3 : 1)
        }
        return (10 - sum % 10) % 10
    }

    static func isValidGTIN(_ number: String) -> Bool {
        gtinCheckDigit(for: String(number.dropLast())) == number.last!.wholeNumberValue!
    }

    // MARK: Card numbers

    struct Brand {
        var name: String
        var prefixes: [String]
        var lengths: [Int]
    }

    /// Each brand's issuer prefixes (IIN ranges, ends included) at its issued lengths.
    static let brands: [Brand] = [
        Brand(name: "Visa", prefixes: ["4"], lengths: [13, 16, 19]),
        Brand(name: "Mastercard", prefixes: ["51", "53", "55", "2221", "2500", "2720"], lengths: [16]),
        Brand(name: "American Express", prefixes: ["34", "37"], lengths: [15]),
        Brand(name: "Discover", prefixes: ["6011", "644", "649", "65"], lengths: [16, 17, 18, 19]),
        Brand(name: "Diners Club International", prefixes: ["36"], lengths: [14, 15, 16, 17, 18, 19]),
        Brand(name: "Diners Club Carte Blanche", prefixes: ["300", "305"], lengths: [14]),
        Brand(name: "Diners Club (Discover network)", prefixes: ["3095", "38", "39"], lengths: [16, 17, 18, 19]),
        Brand(name: "JCB", prefixes: ["3528", "3589"], lengths: [16, 17, 18, 19]),
        Brand(name: "UnionPay", prefixes: ["62", "81"], lengths: [16, 17, 18, 19]),
        Brand(name: "Maestro", prefixes: ["5018", "5020", "5038", "5893", "6304", "6759", "6761", "6762", "6763", "676770"],
              lengths: Array(12...19)),
        Brand(name: "Mir", prefixes: ["2200", "2204"], lengths: [16, 17, 18, 19]),
        Brand(name: "RuPay", prefixes: ["60", "65", "81", "82", "508", "353", "356"], lengths: [16]),
        Brand(name: "Verve", prefixes: ["506099", "506198", "507865", "507964", "650002", "650027"], lengths: [16, 18, 19]),
        Brand(name: "Elo", prefixes: ["401178", "438935", "457631", "504175", "509000", "627780", "636297", "650031", "655000"],
              lengths: [16]),
        Brand(name: "Troy", prefixes: ["9792", "65"], lengths: [16]),
    ]

    mutating func cardNumber(prefix: String, length: Int) -> String {
        let body = prefix + digits(length - prefix.count - 1)
        return body + String(Self.luhnCheckDigit(for: body))
    }

    /// `perLength` random numbers of every brand at every issued length, each prefix in turn.
    mutating func brandNumbers(perLength: Int) -> [(brand: String, number: String)] {
        var numbers: [(String, String)] = []
        for brand in Self.brands {
            for length in brand.lengths {
                for index in 0..<perLength {
                    numbers.append((brand.name, cardNumber(prefix: brand.prefixes[index % brand.prefixes.count], length: length)))
                }
            }
        }
        return numbers
    }

    /// The providers' published test numbers (Tests/Fixtures/CardNumbers/provider-test-cards.json,
    /// each provider with the page it was taken from).
    static func providerTestNumbers() throws -> [(brand: String, number: String)] {
        struct Fixture: Decodable {
            struct Provider: Decodable { var provider: String; var source: String; var cards: [Card] }
            struct Card: Decodable { var brand: String; var number: String }
            var providers: [Provider]
        }
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../Fixtures/CardNumbers/provider-test-cards.json").standardized
        let fixture = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: url))
        return fixture.providers.flatMap { provider in provider.cards.map { ("\(provider.provider) \($0.brand)", $0.number) } }
    }

    // MARK: Writings of a card number

    /// What may stand between the digit groups of a card number: each separator class of the issue
    /// (spaces of any count, `-`, `.`, `_`, `/`, `,`, `+`, invisible format characters) and their neighbours.
    static let joiners = [
        " ", "  ", "    ", "        ", "\t", "\n", "\u{00A0}", "\u{2009}", "\u{3000}", "-", " - ", "\u{2013}", ".", "_", "/", " / ",
        ",", ", ", "+", " + ", "|", ":", ";", "*", "\u{200B}", "\u{00AD}", "\u{2060}", "\u{200C}", "\u{200D}", "\u{FEFF}",
        "\u{180E}", "\u{2061}",
    ]

    /// Brackets around every group: `(4242)(4242)...`, `[4242] [4242]`.
    static let wrappers: [(String, String)] = [("(", ")"), ("[", "]"), ("{", "}"), ("<", ">")]

    /// Letters and words glued to the number, or around it.
    static let glues: [(String, String)] = [
        ("", ""), ("VISA", ""), ("", "exp1225"), ("VISA", "exp1225"), ("card:", ";"), ("pay with ", " thanks"),
        ("abc", "def"), ("Mastercard", "CVV123"), ("\u{4E2D}", "\u{6587}"), ("x", "x"),
    ]

    static func groups(of number: String) -> [String] {
        let sizes: [Int]
        switch number.count {
        case 12: sizes = [4, 4, 4]
        case 13: sizes = [4, 3, 3, 3]
        case 14: sizes = [4, 6, 4]
        case 15: sizes = [4, 6, 5]
        case 16: sizes = [4, 4, 4, 4]
        case 17: sizes = [4, 4, 4, 5]
        case 18: sizes = [4, 4, 4, 6]
        default: sizes = [4, 4, 4, 4, 3]
        }
        var groups: [String] = []
        var rest = Substring(number)
        for size in sizes {
            groups.append(String(rest.prefix(size)))
            rest = rest.dropFirst(size)
        }
        return groups
    }

    struct Writing {
        var number: String
        var brand: String
        var text: String
        /// Written as one run of exactly 13 digits that touches no letter and is a valid EAN-13: the one
        /// shape the rule gives to barcodes (CardNumberContext.isEAN13), measured separately.
        var isBarcodeShaped: Bool
    }

    /// Every writing of `number`: as one run, grouped with each joiner, with each bracket pair, digit by
    /// digit with invisible characters, and with combining marks on its digits; each glued in turn.
    static func writings(of number: String, brand: String, offset: Int) -> [Writing] {
        let groups = groups(of: number)
        var bodies: [String] = [number]
        bodies += joiners.map { groups.joined(separator: $0) }
        for (open, close) in wrappers {
            for joiner in ["", " ", ",", "-"] { bodies.append(groups.map { open + $0 + close }.joined(separator: joiner)) }
        }
        for joiner in ["\u{200B}", "\u{00AD}", "\u{2060}", " ", "-"] {
            bodies.append(number.map(String.init).joined(separator: joiner))
        }
        bodies.append(number.map { String($0) + "\u{0332}" }.joined())  // combining low line on each digit
        var writings: [Writing] = []
        for (index, body) in bodies.enumerated() {
            // The plain run gets every glue, the others one each in turn.
            let gluesHere = index == 0 ? glues : [glues[(index + offset) % glues.count]]
            for (before, after) in gluesHere {
                let touchesLetter = before.last.map { $0.isLetter } == true || after.first.map { $0.isLetter } == true
                let barcodeShaped = body == number && number.count == 13 && !touchesLetter && isValidGTIN(number)
                writings.append(Writing(number: number, brand: brand, text: before + body + after, isBarcodeShaped: barcodeShaped))
            }
        }
        return writings
    }

    // MARK: Ordinary values

    /// Phone numbering of the 20 most populous countries: a country code and the national number's
    /// leading digits and length (ITU-T E.164 national plans), mobiles and fixed lines.
    static let phonePlans: [(country: String, code: String, numbers: [(leading: String, length: Int)])] = [
        ("India", "91", [("9", 10), ("8", 10), ("7", 10), ("6", 10), ("11", 10), ("22", 10)]),
        ("China", "86", [("13", 11), ("15", 11), ("18", 11), ("19", 11), ("10", 10), ("21", 10), ("755", 11)]),
        ("United States", "1", [("2", 10), ("4", 10), ("6", 10), ("9", 10)]),
        ("Indonesia", "62", [("8", 9), ("8", 10), ("8", 11), ("8", 12), ("21", 10)]),
        ("Pakistan", "92", [("3", 10), ("21", 10), ("51", 9)]),
        ("Nigeria", "234", [("80", 10), ("70", 10), ("81", 10), ("90", 10), ("1", 8)]),
        ("Brazil", "55", (11...99).filter { $0 % 10 != 0 }.map { ("\($0)9", 11) } + [("11", 10), ("21", 10)]),
        ("Bangladesh", "880", [("1", 10), ("2", 9)]),
        ("Russia", "7", [("9", 10), ("495", 10), ("812", 10)]),
        ("Ethiopia", "251", [("9", 9), ("11", 9)]),
        ("Mexico", "52", [("55", 10), ("33", 10), ("81", 10)]),
        ("Japan", "81", [("90", 10), ("80", 10), ("70", 10), ("3", 9)]),
        ("Egypt", "20", [("10", 10), ("11", 10), ("12", 10), ("2", 9)]),
        ("Philippines", "63", [("9", 10), ("2", 9)]),
        ("DR Congo", "243", [("8", 9), ("9", 9)]),
        ("Vietnam", "84", [("9", 9), ("3", 9), ("24", 10)]),
        ("Iran", "98", [("9", 10), ("21", 10)]),
        ("Turkey", "90", [("5", 10), ("212", 10)]),
        ("Germany", "49", ["151", "152", "155", "157", "159", "160", "162", "163", "170", "171", "172", "173", "174", "175",
                            "176", "177", "178", "179"].map { ($0, 11) } + [("30", 10), ("89", 10)]),
        ("Thailand", "66", [("8", 9), ("9", 9), ("6", 9), ("2", 8)]),
    ]

    /// A phone number of `plan` in E.164: `+`, the country code, the national number.
    mutating func e164(_ plan: (country: String, code: String, numbers: [(leading: String, length: Int)])) -> String {
        let (leading, length) = pick(plan.numbers)
        return "+" + plan.code + leading + digits(length - leading.count)
    }

    /// The same number as people write it in text: the national number in groups of 2 to 4.
    mutating func spacedPhone(_ e164: String, code: String) -> String {
        var national = Substring(e164.dropFirst(1 + code.count))
        var groups: [String] = []
        while !national.isEmpty {
            let size = min(national.count, Int.random(in: 2...4, using: &random))
            groups.append(String(national.prefix(size)))
            national = national.dropFirst(size)
        }
        return "+\(code) " + groups.joined(separator: pick([" ", "-", " "]))
    }

    mutating func ean13() -> String {
        // Half from Germany's GS1 prefixes (400-440), whose 4 is Visa's; half from any prefix.
        let prefix = Bool.random(using: &random) ? String(Int.random(in: 400...440, using: &random)) : digits(3)
        let body = prefix + digits(9)
        return body + String(Self.gtinCheckDigit(for: body))
    }

    mutating func upcA() -> String {
        let body = digits(11)
        return body + String(Self.gtinCheckDigit(for: body))
    }

    /// BBAN layouts (n digits, a letters, c letters or digits) of IBAN countries.
    static let ibanLayouts: [(country: String, layout: [(Character, Int)])] = [
        ("DE", [("n", 18)]), ("FR", [("n", 10), ("c", 11), ("n", 2)]), ("GB", [("a", 4), ("n", 14)]), ("ES", [("n", 20)]),
        ("IT", [("a", 1), ("n", 10), ("c", 12)]), ("NL", [("a", 4), ("n", 10)]), ("BE", [("n", 12)]), ("AT", [("n", 16)]),
        ("CH", [("n", 5), ("c", 12)]), ("PL", [("n", 24)]), ("PT", [("n", 21)]), ("SE", [("n", 20)]), ("IE", [("a", 4), ("n", 14)]),
        ("TR", [("n", 6), ("c", 16)]), ("BR", [("n", 23), ("a", 1), ("c", 1)]), ("SA", [("n", 2), ("c", 18)]), ("DK", [("n", 14)]),
        ("NO", [("n", 11)]), ("FI", [("n", 14)]), ("PK", [("a", 4), ("c", 16)]),
    ]

    static func ibanRemainder(_ text: String) -> Int {
        var remainder = 0
        for character in text {
            if let digit = character.wholeNumberValue {
                remainder = (remainder * 10 + digit) % 97
            } else {
                remainder = (remainder * 100 + Int(character.asciiValue! - 55)) % 97
            }
        }
        return remainder
    }

    /// A valid IBAN of a random country: random BBAN, check digits by mod 97.
    mutating func iban() -> String {
        let (country, layout) = pick(Self.ibanLayouts)
        let letters = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
        var bban = ""
        for (kind, count) in layout {
            for _ in 0..<count {
                switch kind {
                case "n": bban += String(digit())
                case "a": bban.append(pick(letters))
                default: bban += Bool.random(using: &random) ? String(digit()) : String(pick(letters))
                }
            }
        }
        let check = 98 - Self.ibanRemainder(bban + country + "00")
        return country + (check < 10 ? "0\(check)" : "\(check)") + bban
    }

    static func spaced(_ iban: String) -> String {
        var groups: [String] = []
        var rest = Substring(iban)
        while !rest.isEmpty { groups.append(String(rest.prefix(4))); rest = rest.dropFirst(4) }
        return groups.joined(separator: " ")
    }

    mutating func uuid() -> String {
        let hex = Array("0123456789abcdef")
        var characters = (0..<32).map { _ in pick(hex) }
        characters[12] = "4"
        characters[16] = pick(Array("89ab"))
        let text = String(characters)
        let parts = [text.prefix(8), text.dropFirst(8).prefix(4), text.dropFirst(12).prefix(4), text.dropFirst(16).prefix(4), text.dropFirst(20)]
        let uuid = parts.joined(separator: "-")
        return Bool.random(using: &random) ? uuid : uuid.uppercased()
    }

    /// Ids in hex: MongoDB ObjectIds (24), dashless UUIDs (32), SHA-1 (40) and SHA-256 (64) digests.
    mutating func hexID() -> String {
        let hex = Array("0123456789abcdef")
        let id = String((0..<pick([24, 32, 40, 64])).map { _ in pick(hex) })
        return Bool.random(using: &random) ? id : id.uppercased()
    }
}
