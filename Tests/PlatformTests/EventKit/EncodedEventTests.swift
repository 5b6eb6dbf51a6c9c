import Foundation
import Platform
import Testing

@Suite struct EncodedEventTests {
    let time = Date(timeIntervalSince1970: 1_764_000_000.25)

    func event(_ detail: [String: ServiceEvent.Value] = ["eventId": .string("evt_1"), "orderId": .string("ord_1"), "attempt": .integer(2)]) -> EncodedEvent {
        ServiceEvent(source: "shop.test", detailType: "ThingHappened", time: time, detail: detail).encoded()
    }

    @Test func theEnvelopeIsTheOneEncodingAndItsDetailIsASliceOfIt() throws {
        let encoded = event()
        #expect(String(decoding: encoded.json, as: UTF8.self) == #"{"detail":{"attempt":2,"eventId":"evt_1","orderId":"ord_1","time":"2025-11-24T16:00:00.250Z"},"detail-type":"ThingHappened","source":"shop.test","time":"2025-11-24T16:00:00.250Z"}"#)
        #expect(String(decoding: encoded.detailJSON, as: UTF8.self) == #"{"attempt":2,"eventId":"evt_1","orderId":"ord_1","time":"2025-11-24T16:00:00.250Z"}"#)
        #expect(encoded.id == "evt_1")
    }

    @Test func readingTheStoredTextBackKeepsItByteForByte() throws {
        let encoded = event(["eventId": .string("evt_\"q\"}{"), "note": .string(#"a "detail":{} \ b"#)])
        let read = try EncodedEvent(json: encoded.json)
        #expect(read == encoded)
        #expect(read.json == encoded.json)
        #expect(read.detailJSON.elementsEqual(encoded.detailJSON))
        #expect(read.id == #"evt_"q"}{"#)
        #expect(read.source == "shop.test" && read.detailType == "ThingHappened" && read.time == time)
        #expect(try ServiceEvent(read) == ServiceEvent(source: "shop.test", detailType: "ThingHappened", time: time,
                                                      detail: ["eventId": .string("evt_\"q\"}{"), "note": .string(#"a "detail":{} \ b"#)]))
    }

    @Test func theDetailIsFoundWhereverItStandsAndWhateverSpacesSurroundIt() throws {
        let text = #"{ "source" : "shop.test", "time":"2025-11-24T16:00:00.250Z" , "detail-type":"X", "detail" : {"eventId":"e","n":[1,{"detail":2}]} }"#
        let read = try EncodedEvent(json: Array(text.utf8))
        #expect(String(decoding: read.detailJSON, as: UTF8.self) == #"{"eventId":"e","n":[1,{"detail":2}]}"#)
        #expect(read.id == "e")
    }

    @Test func anOutboxWrittenWithEpochMillisecondsIsStillRead() throws {
        let read = try EncodedEvent(json: Array(#"{"detail":{"eventId":"e"},"detail-type":"X","source":"s","time":1764000000250}"#.utf8))
        #expect(read.time == time)
    }

    @Test(arguments: [
        ("", "not JSON"),
        ("[]", "no detail object"),
        (#"{"detail":"x","detail-type":"X","source":"s","time":"2025-11-24T16:00:00.250Z"}"#, "no detail object"),
        (#"{"detail":{},"detail-type":"X","source":"s","time":"2025-11-24T16:00:00.250Z"}"#, "no detail.eventId"),
        (#"{"detail":{"eventId":""},"detail-type":"X","source":"s","time":"2025-11-24T16:00:00.250Z"}"#, "no detail.eventId"),
        (#"{"detail":{"eventId":"e"},"source":"s","time":"2025-11-24T16:00:00.250Z"}"#, "no source or detail-type"),
        (#"{"detail":{"eventId":"e"},"detail-type":"X","source":"s"}"#, "no time"),
        (#"{"detail":{"eventId":"e"},"detail-type":"X","source":"s","time":"yesterday"}"#, "not an RFC 3339 UTC time"),
        (#"{"detail":{"eventId":"e"},"detail":{"eventId":"f"},"detail-type":"X","source":"s","time":"2025-11-24T16:00:00.250Z"}"#, "not JSON"),
    ])
    func anUnreadableStoredEventIsRefusedNamingWhatIsWrong(_ text: String, _ reason: String) {
        #expect {
            _ = try EncodedEvent(json: Array(text.utf8))
        } throws: { error in
            (error as? UnreadableEvent)?.description.contains(reason) == true
        }
    }

    @Test func aServiceEventWithADetailOtherThanStringsAndIntegersIsRefused() {
        #expect(throws: UnreadableEvent.self) {
            try ServiceEvent(json: Array(#"{"detail":{"eventId":"e","x":[1]},"detail-type":"X","source":"s","time":"2025-11-24T16:00:00.250Z"}"#.utf8))
        }
    }
}
