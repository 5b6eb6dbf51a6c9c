import Platform
import Testing

@Suite struct OptimisticWriteTests {
    @Test func aConflictIsRetriedFromAFreshAttemptUntilItIsDone() throws {
        var numbers: [Int] = []
        let result = try OptimisticWrite.run(attempts: 5, giveUp: StoreError("gave up")) { number -> OptimisticWrite.Attempt<String> in
            numbers.append(number)
            return number < 2 ? .conflict : .done("written at attempt \(number)")
        }
        #expect(result == "written at attempt 2")
        #expect(numbers == [0, 1, 2])
    }

    @Test func itGivesUpAfterItsAttemptsWithTheErrorItWasGiven() {
        var count = 0
        #expect(throws: StoreError.self) {
            try OptimisticWrite.run(attempts: 3, giveUp: StoreError("order ord_1 kept changing")) { _ -> OptimisticWrite.Attempt<Void> in
                count += 1
                return .conflict
            }
        }
        #expect(count == 3, "exactly its attempts, no more")
    }

    @Test func anErrorOfAnAttemptReachesTheCallerAtOnce() {
        var count = 0
        #expect(throws: StoreError("unreachable")) {
            try OptimisticWrite.run(attempts: 3, giveUp: StoreError("gave up")) { _ -> OptimisticWrite.Attempt<Void> in
                count += 1
                throw StoreError("unreachable")
            }
        }
        #expect(count == 1)
    }
}
