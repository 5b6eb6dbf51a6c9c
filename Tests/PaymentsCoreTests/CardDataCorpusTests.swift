import Foundation
import Testing
@testable import PaymentsCore
import Platform

/// CardData measured on generated corpora rather than examples: every brand's numbers in every writing
/// are refused, and each class of ordinary values that looks numeric is refused at most once in 1,000
/// (the issue's bound, over 20,000 samples each). The measured counts are printed ("CardData corpus: ...").
@Suite struct CardDataCorpusTests {
    static let samples = 20_000
    /// At most 0.1% of a class's samples may be refused.
    static let allowedRefusals = samples / 1_000

    /// Refusals of `generate`'s samples by `refuses`, printed, and the first few refused samples.
    func measure(_ name: String, seed: UInt64, refuses: (String) -> Bool = CardData.containsCardNumber,
                 _ generate: (inout CardDataCorpus) -> String) -> (count: Int, examples: [String]) {
        var corpus = CardDataCorpus(seed: seed)
        var refused: [String] = []
        for _ in 0..<Self.samples {
            let sample = generate(&corpus)
            if refuses(sample) { refused.append(sample) }
        }
        print("CardData corpus: \(name): refused \(refused.count) of \(Self.samples)")
        return (refused.count, Array(refused.prefix(5)))
    }

    func expectRare(_ name: String, seed: UInt64, refuses: (String) -> Bool = CardData.containsCardNumber,
                    _ generate: (inout CardDataCorpus) -> String) {
        let (count, examples) = measure(name, seed: seed, refuses: refuses, generate)
        #expect(count <= Self.allowedRefusals, "\(name): \(count) of \(Self.samples) refused, e.g. \(examples)")
    }

    static func body(_ fields: [String: String]) -> [UInt8] {
        var object: [String: Any] = ["orderId": "o-1", "amount": 2000, "currency": "EUR"]
        for (name, value) in fields { object[name] = value }
        return Array(try! JSONSerialization.data(withJSONObject: object))
    }

    static func isRefusedAsCardData(_ fields: [String: String]) -> Bool {
        do {
            _ = try PaymentRequest.parse(body(fields))
            return false
        } catch {
            return error.status == 422 && error.type.hasSuffix("card-data-refused")
        }
    }

    // MARK: Card numbers: none may pass

    @Test func everyBrandInEveryWritingIsRefused() throws {
        var corpus = CardDataCorpus(seed: 20)
        let numbers = corpus.brandNumbers(perLength: 4) + (try CardDataCorpus.providerTestNumbers())
        var writings = 0
        var barcodeShaped: [CardDataCorpus.Writing] = []
        var missed: [String] = []
        for (offset, (brand, number)) in numbers.enumerated() {
            for writing in CardDataCorpus.writings(of: number, brand: brand, offset: offset) {
                writings += 1
                if writing.isBarcodeShaped {
                    barcodeShaped.append(writing)
                } else if !CardData.containsCardNumber(writing.text) {
                    missed.append("\(brand) \(writing.text.debugDescription)")
                }
            }
        }
        print("CardData corpus: \(numbers.count) card numbers, \(writings) writings, missed \(missed.count); \(barcodeShaped.count) barcode-shaped (13 plain digits, valid EAN-13) left to the barcode rule")
        #expect(missed.isEmpty, "\(missed.count) missed, e.g. \(missed.prefix(10))")
        // The trade-off is as documented: exactly those are taken as barcodes, and no provider test number is one.
        for writing in barcodeShaped {
            #expect(!CardData.containsCardNumber(writing.text))
            #expect(writing.number.count == 13)
        }
        let providers = Set(try CardDataCorpus.providerTestNumbers().map(\.number))
        #expect(!barcodeShaped.contains { providers.contains($0.number) })
    }

    /// In the request itself: the description carries each writing, and the refusal is a 422 that names the field.
    @Test func everyBypassOfTheIssueIsRefusedInTheDescription() throws {
        var corpus = CardDataCorpus(seed: 21)
        var taken: [String] = []
        var total = 0
        for (offset, (brand, number)) in (corpus.brandNumbers(perLength: 1) + (try CardDataCorpus.providerTestNumbers())).enumerated() {
            for writing in CardDataCorpus.writings(of: number, brand: brand, offset: offset) where !writing.isBarcodeShaped {
                total += 1
                if !Self.isRefusedAsCardData(["description": writing.text]) { taken.append(writing.text.debugDescription) }
            }
        }
        #expect(taken.isEmpty, "\(taken.count) of \(total) descriptions taken, e.g. \(taken.prefix(10))")
    }

    @Test(arguments: ["VISA4111111111111111", "4111111111111111exp1225", "4111/1111/1111/1111", "4111,1111,1111,1111",
                      "4111+1111+1111+1111", "(4111)(1111)(1111)(1111)", "[4111] [1111] [1111] [1111]",
                      "4111\u{200B}1111\u{200B}1111\u{200B}1111", "4111\u{00AD}1111\u{00AD}1111\u{00AD}1111",
                      "4111\u{2060}1111\u{2060}1111\u{2060}1111", "4111    1111    1111    1111", "cardno:4111-1111-1111-1111;"])
    func theIssuesExamplesAreRefusedAsDescriptionAndAsIdempotencyKey(text: String) {
        #expect(Self.isRefusedAsCardData(["description": text]))
        // The Idempotency-Key check (PaymentFunction.create) is this call on the header's value.
        #expect(CardData.containsCardNumber(text))
    }

    /// The one trade-off, measured both ways. Without the barcode rule one German (400-440) EAN-13 in ten would be refused
    /// (a 13-digit Visa by prefix and length, one in ten by Luhn); with it, one Luhn-valid 13-digit Visa number in ten,
    /// written as one plain run, is taken as a barcode (13 digits is a legacy Visa length; separated, glued to
    /// letters or in any other writing it is refused).
    @Test func theBarcodeRuleTradeOffIsMeasured() {
        var corpus = CardDataCorpus(seed: 22)
        var cardLikeBarcodes = 0
        var barcodeLikeVisas = 0
        for _ in 0..<Self.samples {
            let ean = corpus.ean13()
            if CardBrands.isCardNumber(ArraySlice(ean.map { UInt8($0.wholeNumberValue!) })) { cardLikeBarcodes += 1 }
            let visa = corpus.cardNumber(prefix: "4", length: 13)
            if CardDataCorpus.isValidGTIN(visa) {
                barcodeLikeVisas += 1
                #expect(!CardData.containsCardNumber(visa))
                #expect(CardData.containsCardNumber("VISA" + visa))
                #expect(CardData.containsCardNumber(CardDataCorpus.groups(of: visa).joined(separator: " ")))
            } else {
                #expect(CardData.containsCardNumber(visa))
            }
        }
        print("CardData corpus: EAN-13s that are card numbers by brand and Luhn alone: \(cardLikeBarcodes) of \(Self.samples); 13-digit Visas that are valid EAN-13s: \(barcodeLikeVisas) of \(Self.samples)")
        #expect(cardLikeBarcodes > Self.allowedRefusals, "the barcode rule is needed")
        #expect((1_500...2_500).contains(barcodeLikeVisas), "about one in ten")
    }

    // MARK: Ordinary values: at most 0.1% refused

    /// CardData's verdict on a body holding `phone` as `customerPhone`: what `PaymentRequest.parse` asks it
    /// first (the whole parse costs ten times more in a debug build, so it runs on a sample below).
    static func isRefusedAsCustomerPhone(_ phone: String) -> Bool {
        CardData.location(in: .object(["customerPhone": .string(phone)])) != nil
    }

    @Test func phonesOfTheTwentyLargestCountriesAreTaken() {
        var index = 0
        expectRare("customerPhone, 20 countries", seed: 30, refuses: Self.isRefusedAsCustomerPhone) { corpus in
            defer { index += 1 }
            return corpus.e164(CardDataCorpus.phonePlans[index % CardDataCorpus.phonePlans.count])
        }
        for country in ["Germany", "Brazil"] {
            let plan = CardDataCorpus.phonePlans.first { $0.country == country }!
            expectRare("customerPhone, \(country) only", seed: 31, refuses: Self.isRefusedAsCustomerPhone) { corpus in corpus.e164(plan) }
        }
        var spacedIndex = 0
        expectRare("phones written in text", seed: 32) { corpus in
            defer { spacedIndex += 1 }
            let plan = CardDataCorpus.phonePlans[spacedIndex % CardDataCorpus.phonePlans.count]
            return "Call " + corpus.spacedPhone(corpus.e164(plan), code: plan.code) + corpus.pick(["", " after 6pm", ", thanks", "."])
        }
    }

    /// The whole request on 100 numbers of each country: taken, and kept as sent.
    @Test func phonesAreTakenByTheWholeRequest() throws {
        var corpus = CardDataCorpus(seed: 33)
        for plan in CardDataCorpus.phonePlans {
            for _ in 0..<100 {
                let phone = corpus.e164(plan)
                let request = try PaymentRequest.parse(Self.body(["customerPhone": phone]))
                #expect(request.customerPhone == phone)
            }
        }
    }

    @Test func barcodesInDescriptionsAreTaken() {
        expectRare("EAN-13 in descriptions", seed: 40) { corpus in
            corpus.pick(["EAN ", "GTIN: ", "Barcode ", "", "Mug 300ml, EAN "]) + corpus.ean13() + corpus.pick(["", ".", ", 2 pcs"])
        }
        expectRare("UPC-A in descriptions", seed: 41) { corpus in
            corpus.pick(["UPC ", "UPC-A: ", ""]) + corpus.upcA() + corpus.pick(["", "."])
        }
    }

    @Test func ibansAreTaken() {
        expectRare("IBANs in groups of four", seed: 50) { corpus in
            corpus.pick(["", "IBAN ", "Refund to "]) + CardDataCorpus.spaced(corpus.iban())
        }
        expectRare("IBANs in one piece", seed: 51) { corpus in corpus.iban() }
    }

    @Test func orderIDsAreTaken() {
        expectRare("Amazon order ids", seed: 60) { corpus in
            corpus.pick(["", "Amazon order "]) + "\(Int.random(in: 100...999, using: &corpus.random))-\(corpus.digits(7))-\(corpus.digits(7))"
        }
        expectRare("ord_ and 16 digits", seed: 61) { corpus in "ord_" + corpus.digits(16) }
        expectRare("Shopify order names", seed: 62) { corpus in "#\(Int.random(in: 1001...9_999_999, using: &corpus.random))" }
        expectRare("numeric ids with a prefix", seed: 63) { corpus in
            corpus.pick(["ORD-", "ORD", "ord-", "PO-", "INV-", "INV#", "SO-", "Order #", "order #", "ORDER-"])
                + corpus.digits(Int.random(in: 6...19, using: &corpus.random))
        }
        expectRare("dated order ids", seed: 64) { corpus in
            "ORD-2026\(String(format: "%02d%02d", Int.random(in: 1...12, using: &corpus.random), Int.random(in: 1...28, using: &corpus.random)))-\(corpus.digits(6))"
        }
    }

    @Test func uuidsAndHexIDsAreTaken() {
        expectRare("UUIDs", seed: 70) { corpus in corpus.uuid() }
        expectRare("hex ids", seed: 71) { corpus in corpus.hexID() }
    }
}
