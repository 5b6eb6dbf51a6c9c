import Platform
import Testing

/// AppSync's direct Lambda resolver events, single and batched, as its developer guide shows them.
@Suite struct AppSyncResolverEventTests {
    static let single = #"""
        {"arguments":{"id":"prod_1"},"identity":null,"source":null,
         "request":{"headers":{"X-Api-Key":"da2-key","content-type":"application/json"}},
         "info":{"fieldName":"product","parentTypeName":"Query","variables":{"id":"prod_1"},
                 "selectionSetList":["id","name","price","price/amount"],"selectionSetGraphQL":"{ id name price { amount } }"},
         "prev":null,"stash":{}}
        """#

    @Test func aSingleFieldIsReadWithItsArgumentsInfoAndHeaders() throws {
        let event = try AppSyncResolverEvent(invocation: Array(Self.single.utf8))
        #expect(!event.isBatch)
        let field = try #require(event.fields.first)
        #expect(field.fieldName == "product" && field.parentTypeName == "Query")
        #expect(field.arguments == ["id": .string("prod_1")])
        #expect(field.headers["x-api-key"] == "da2-key", "header names are case-insensitive: kept lower-cased")
        #expect(field.selectionSetList == ["id", "name", "price", "price/amount"])
        #expect(field.selectionSetGraphQL == "{ id name price { amount } }")
        #expect(field.identity == .null)
    }

    @Test func aBatchIsReadInOrderAndAnsweredInTheSameOrderEachItemWithItsOwnError() throws {
        let event = try AppSyncResolverEvent(invocation: Array("[\(Self.single),\(Self.single.replacingOccurrences(of: "prod_1", with: "prod_2"))]".utf8))
        #expect(event.isBatch)
        #expect(event.fields.map { $0.arguments["id"] } == [.string("prod_1"), .string("prod_2")])
        let answer = AppSyncResolverAnswer(results: [.data(.object(["id": .string("prod_1")])), .error(type: "NotFound", message: "no product prod_2")],
                                           isBatch: true)
        #expect(String(decoding: try answer.invocationBytes(), as: UTF8.self)
                == #"[{"data":{"id":"prod_1"}},{"data":null,"errorMessage":"no product prod_2","errorType":"NotFound"}]"#)
    }

    @Test func aSingleFieldsErrorIsTheInvocationsErrorWithItsType() throws {
        let answer = AppSyncResolverAnswer(results: [.error(type: "ConflictError", message: "expectedVersion 3 is stale")], isBatch: false)
        #expect(throws: AppSyncResolverError(type: "ConflictError", message: "expectedVersion 3 is stale")) { try answer.invocationBytes() }
        #expect(AppSyncResolverError(type: "ConflictError", message: "x").errorType == "ConflictError")
        #expect(String(decoding: try AppSyncResolverAnswer(results: [.data(.number("2"))], isBatch: false).invocationBytes(), as: UTF8.self) == "2")
    }

    @Test(arguments: [
        ("not json", "not valid JSON"),
        ("42", "neither an object nor an array"),
        (#"{"arguments":{}}"#, "no 'info.fieldName'"),
        (#"{"info":{"fieldName":"product"}}"#, "no 'info.fieldName' and 'info.parentTypeName'"),
        (#"{"arguments":[1],"info":{"fieldName":"product","parentTypeName":"Query"}}"#, "'arguments' is not an object"),
        (#"[{"info":{"fieldName":"product","parentTypeName":"Query"}}, 7]"#, "no 'info.fieldName'"),
    ])
    func anEventOfAnotherShapeIsRefusedNamingWhy(_ text: String, _ reason: String) {
        #expect {
            _ = try AppSyncResolverEvent(invocation: Array(text.utf8))
        } throws: { error in
            let description = String(describing: error)
            return description.contains(reason) && description.contains("AppSync resolver event")
        }
    }
}
