import Foundation
import Synchronization
import Testing
import FunctionHost
import NotificationService
import PaymentsCore
import Platform
import CurlHTTP
import SQLiteAdapter

/// The `notification` handler on the real SQLite store: a message per channel with a contact, each
/// channel on its own, exactly once per channel, a bad record failing alone, no contact in any log.
@Suite struct NotificationHandlerTests {
    let store: SQLiteNotificationStore
    let email = RecordingSender()
    let sms = RecordingSender()

    init() throws {
        store = try SQLiteNotificationStore(path: temporaryPath("notifications"))
    }

    /// What the function does after each answer on SQLite: publish the store's outbox to its local bus.
    var drain: OutboxDrain { OutboxDrain(outbox: store, publisher: store.bus) }

    func handler(enabled: Set<NotificationChannel> = [.email, .sms], configured: NotificationChannel? = nil,
                 smsPolicy: SMSPolicy = SMSPolicy()) -> NotificationHandler {
        NotificationHandler(store: store, senders: [.email: email, .sms: sms], enabled: enabled, configuredChannel: configured,
                            smsPolicy: smsPolicy, clock: SteppingClock())
    }

    /// The event as each channel's queue delivers it (raw on one, SNS-wrapped on the other: both are read).
    func channelRecords(_ event: PaymentEvent, receiveCount: Int = 1) -> [SQSBatch.Message] {
        [Events.record(Events.envelope(event), id: "email-\(event.id)", queue: "shop-notification-email", receiveCount: receiveCount),
         Events.record(Events.snsWrapped(event), id: "sms-\(event.id)", queue: "shop-notification-sms", receiveCount: receiveCount)]
    }

    @Test func aSuccessBecomesAnEmailAndAnSMSFromTheirTemplates() throws {
        let handler = handler()
        #expect(try handler.handle(SQSBatch(records: channelRecords(Events.succeeded())), context: context()) == .allSucceeded)
        let mail = try #require(email.messages.first)
        #expect(email.messages.count == 1 && sms.messages.count == 1)
        #expect(mail.recipient == "buyer@example.com")
        #expect(mail.subject == "Order ord_1: payment received")
        #expect(mail.text.hasPrefix("We received your payment of 25.00 EUR for order ord_1. Thank you!"))
        #expect(sms.messages[0].recipient == "+14155550123")
        #expect(sms.messages[0].subject == nil)
        #expect(sms.messages[0].text == "We received your payment of 25.00 EUR for order ord_1. Thank you!")
        drain.run(logger: .discarding)
        let published = try SQLiteServiceFile.published(store.database)
        #expect(published.map(\.detailType) == ["NotificationSent", "NotificationSent"])
        #expect(Set(published.compactMap { $0["channel"] }) == ["email", "sms"])
        #expect(published.allSatisfy { $0.source == "shop.notifications" && $0["orderId"] == "ord_1" && $0["paymentId"] == "pay_1" })
        #expect(!String(decoding: published[0].encoded().json, as: UTF8.self).contains("buyer@example.com"), "no contact on the bus twice over")
    }

    /// SMS pumping: any created payment raises PaymentPending with a phone the customer chose, so an
    /// SMS on it would text any number on the shop's bill. The email still goes.
    @Test func anUnpaidPaymentSendsNoSMS() throws {
        let logs = LogLines()
        let handler = handler()
        let pending = Events.payment(state: PaymentState())
        #expect(pending.detailType == "PaymentPending")
        #expect(try handler.handle(SQSBatch(records: channelRecords(pending)), context: context(logs)) == .allSucceeded)
        #expect(sms.messages.isEmpty)
        #expect(email.messages.map(\.detailType) == ["PaymentPending"])
        #expect(try !store.hasSent(eventID: pending.id, channel: .sms))
        #expect(logs.all.contains { $0.contains("no SMS for this detail-type") && $0.contains("\"sms\"") })
        drain.run(logger: .discarding)
        let published = try SQLiteServiceFile.published(store.database)
        #expect(published.map(\.detailType) == ["NotificationSent"] && published[0]["channel"] == "email", "a skip is no failure")
    }

    /// Every payment status's event: email always, SMS exactly for the outcomes.
    @Test(arguments: PaymentStatus.allCases.map(\.eventDetailType))
    func smsGoOutOnlyForSucceededFailedAndRefunded(detailType: String) throws {
        var event = Events.refunded(total: 1000)
        event.detailType = detailType
        #expect(try handler().handle(SQSBatch(records: channelRecords(event)), context: context()) == .allSucceeded)
        #expect(email.messages.count == 1)
        let outcomes = ["PaymentSucceeded", "PaymentFailed", "PaymentPartiallyRefunded", "PaymentRefunded"]
        #expect(sms.messages.map(\.detailType) == (outcomes.contains(detailType) ? [detailType] : []), "\(detailType)")
    }

    @Test func aNumberOutsideTheAllowedCountriesGetsNoSMSAndTheLogHoldsNoNumber() throws {
        let logs = LogLines()
        let handler = handler(smsPolicy: SMSPolicy(countries: [CallingCode("44")!, CallingCode("49")!]))
        let american = Events.succeeded()  // +14155550123
        #expect(try handler.handle(SQSBatch(records: channelRecords(american)), context: context(logs)) == .allSucceeded)
        #expect(sms.messages.isEmpty && email.messages.count == 1)
        #expect(logs.all.contains { $0.contains("not in a country NOTIFICATION_SMS_COUNTRIES allows") })
        #expect(!logs.text.contains("4155550123") && !logs.text.contains("buyer@example.com"))
        drain.run(logger: .discarding)
        #expect(try SQLiteServiceFile.published(store.database).map { $0["channel"] } == ["email"])

        for (index, phone) in ["+447700900123", "+4915112345678"].enumerated() {
            let event = Events.payment("pay_\(index + 2)", order: "ord_\(index + 2)", state: PaymentState(progress: .succeeded), phone: phone)
            #expect(try handler.handle(SQSBatch(records: channelRecords(event)), context: context()) == .allSucceeded)
        }
        #expect(sms.messages.map(\.recipient) == ["+447700900123", "+4915112345678"])
    }

    @Test func theFunctionReadsTheAllowedCountriesLocally() throws {
        let path = temporaryPath("notifications-countries")
        let runtime = try FunctionRuntime(NotificationFunctions.definition,
                                          environment: ["NOTIFICATION_STORE": "sqlite:\(path)", "NOTIFICATION_SMS_COUNTRIES": "44, 49"],
                                          logger: .discarding)
        let british = Events.payment("pay_2", order: "ord_2", state: PaymentState(progress: .succeeded), phone: "+447700900123")
        let records: [[String: Any]] = [Events.succeeded(), british].flatMap { event in [
            ["messageId": "e-\(event.id)", "body": Events.envelope(event), "eventSourceARN": "arn:aws:sqs:local:0:local-notification-email"],
            ["messageId": "s-\(event.id)", "body": Events.snsWrapped(event), "eventSourceARN": "arn:aws:sqs:local:0:local-notification-sms"],
        ] }
        let answer = try runtime.invoke(event: Array(try JSONSerialization.data(withJSONObject: ["Records": records])),
                                        context: InvocationContext(requestID: "r", logger: .discarding))
        #expect(String(decoding: answer, as: UTF8.self) == #"{"batchItemFailures":[]}"#)
        let messages = try SQLiteNotificationStore(path: path).localMessages()
        #expect(messages.map { "\($0.channel) \($0.orderId)" } == ["email ord_1", "email ord_2", "sms ord_2"])
    }

    @Test(arguments: [("JPY", 1500, "1500 JPY"), ("KWD", 1250, "1.250 KWD"), ("USD", 5, "0.05 USD"), ("BHD", 1, "0.001 BHD")])
    func theAmountIsWrittenInItsCurrencysDigits(currency: String, minor: Int, written: String) throws {
        let event = Events.payment(amount: minor, currency: currency, state: PaymentState(progress: .succeeded))
        let message = try #require(NotificationTemplates.message(for: event, channel: .sms, recipient: "+14155550123"))
        #expect(message.text.contains("payment of \(written) for order"), "\(message.text)")
    }

    @Test func everyPaymentDetailTypeHasATemplate() {
        for status in PaymentStatus.allCases {
            var event = Events.refunded(total: 1000)
            event.detailType = status.eventDetailType
            #expect(NotificationTemplates.content(for: event) != nil, "\(status)")
        }
        var refunded = Events.refunded(total: 1000)
        refunded.detailType = "PaymentPartiallyRefunded"
        #expect(NotificationTemplates.content(for: refunded)?.sentence.hasPrefix("10.00 EUR of your payment of 25.00 EUR") == true)
    }

    @Test func oneFailingChannelFailsOnlyItsOwnRecordAndIsRetriedAlone() throws {
        sms.failing.withLock { $0 = true }
        let handler = handler()
        let event = Events.succeeded()
        #expect(try handler.handle(SQSBatch(records: channelRecords(event)), context: context()) == BatchResponse(failedItems: ["sms-\(event.id)"]))
        #expect(email.messages.count == 1 && sms.messages.isEmpty)
        #expect(try store.hasSent(eventID: event.id, channel: .email))
        #expect(try !store.hasSent(eventID: event.id, channel: .sms))
        drain.run(logger: .discarding)
        let failed = try SQLiteServiceFile.published(store.database).filter { $0.detailType == "NotificationFailed" }
        #expect(failed.count == 1 && failed[0]["channel"] == "sms" && failed[0]["reason"] == "channel down")

        // SQS delivers the failed SMS record again (and, say, the email one too): SMS goes out once, email is not repeated.
        sms.failing.withLock { $0 = false }
        #expect(try handler.handle(SQSBatch(records: channelRecords(event, receiveCount: 2)), context: context()) == .allSucceeded)
        #expect(email.messages.count == 1 && sms.messages.count == 1)
    }

    @Test func threeDeliveriesOfOneEventSendOneMessagePerChannel() throws {
        let handler = handler()
        let event = Events.succeeded()
        for _ in 0..<3 {
            #expect(try handler.handle(SQSBatch(records: channelRecords(event) + channelRecords(event)), context: context()) == .allSucceeded)
        }
        #expect(email.messages.count == 1 && sms.messages.count == 1)
    }

    @Test func aChannelWithoutAContactOrNotEnabledSendsNothingAndAcknowledges() throws {
        let noPhone = Events.payment(state: PaymentState(progress: .succeeded), phone: nil)
        #expect(try handler().handle(SQSBatch(records: channelRecords(noPhone)), context: context()) == .allSucceeded)
        #expect(email.messages.count == 1 && sms.messages.isEmpty)

        let other = Events.succeeded("pay_2", order: "ord_2")
        #expect(try handler(enabled: [.email]).handle(SQSBatch(records: channelRecords(other)), context: context()) == .allSucceeded)
        #expect(email.messages.count == 2 && sms.messages.isEmpty)
    }

    @Test func theChannelComesFromTheSettingElseTheQueueElseEveryEnabledChannel() throws {
        let event = Events.succeeded()
        // NOTIFICATION_CHANNEL=sms: even a record from the email queue is the SMS channel's.
        let fromEmailQueue = Events.record(Events.envelope(event), queue: "shop-notification-email")
        #expect(try handler(configured: .sms).handle(SQSBatch(records: [fromEmailQueue]), context: context()) == .allSucceeded)
        #expect(email.messages.isEmpty && sms.messages.count == 1)
        // A queue naming no channel (an event handed in by hand): every enabled channel.
        let unnamed = Events.record(Events.envelope(Events.succeeded("pay_2", order: "ord_2")), queue: "hand-made")
        #expect(try handler().handle(SQSBatch(records: [unnamed]), context: context()) == .allSucceeded)
        #expect(email.messages.count == 1 && sms.messages.count == 2)
        #expect(NotificationChannel(queue: "arn:aws:sqs:eu-west-1:1:shop-e2e-notification-email") == .email)
        #expect(NotificationChannel(queue: "shop-notification-sms") == .sms)
        #expect(NotificationChannel(queue: "shop-delivery") == nil)
    }

    @Test(arguments: DeliveryHandlerTests.poison.indices)
    func aPoisonRecordFailsAloneAndNoLogLineHoldsAContact(index: Int) throws {
        let (name, body) = DeliveryHandlerTests.poison[index]
        let logs = LogLines()
        let good = Events.succeeded()
        let batch = SQSBatch(records: [Events.record(body, id: "poison", queue: "shop-notification-email")] + channelRecords(good))
        #expect(try handler().handle(batch, context: context(logs)) == BatchResponse(failedItems: ["poison"]), "\(name)")
        #expect(email.messages.count == 1 && sms.messages.count == 1)
        #expect(logs.all.contains { $0.contains("\"poison\"") && $0.contains("unreadable record") })
        #expect(!logs.text.contains("buyer@example.com") && !logs.text.contains("4155550123") && !logs.text.contains("Thank you"))
    }

    @Test func sentButNotRecordedIsSentAgainOnRedeliveryTheDocumentedDuplicateWindow() throws {
        let forgetful = ForgetfulNotificationStore(base: store)
        let handler = NotificationHandler(store: forgetful, senders: [.email: email], enabled: [.email], clock: SteppingClock())
        let record = Events.record(Events.envelope(Events.succeeded()), id: "m", queue: "shop-notification-email")
        #expect(try handler.handle(SQSBatch(records: [record]), context: context()) == BatchResponse(failedItems: ["m"]))
        #expect(try handler.handle(SQSBatch(records: [record]), context: context()) == .allSucceeded)
        #expect(email.messages.count == 2, "the crash window: the channel took it, the record was not written")
        #expect(try handler.handle(SQSBatch(records: [record]), context: context()) == .allSucceeded)
        #expect(email.messages.count == 2, "once recorded, never again")
    }

    @Test func theFunctionsLocalChannelsWriteTheMessagesTheCLIPrints() throws {
        let path = temporaryPath("notifications-fn")
        let runtime = try FunctionRuntime(NotificationFunctions.definition, environment: ["NOTIFICATION_STORE": "sqlite:\(path)"], logger: .discarding)
        let event = Events.refunded(total: 2500)
        let records: [[String: Any]] = [
            ["messageId": "a", "body": Events.envelope(event), "eventSourceARN": "arn:aws:sqs:local:0:local-notification-email"],
            ["messageId": "b", "body": Events.snsWrapped(event), "eventSourceARN": "arn:aws:sqs:local:0:local-notification-sms"],
        ]
        let answer = try runtime.invoke(event: Array(try JSONSerialization.data(withJSONObject: ["Records": records])),
                                        context: InvocationContext(requestID: "r", logger: .discarding))
        #expect(String(decoding: answer, as: UTF8.self) == #"{"batchItemFailures":[]}"#)
        runtime.afterResponse(logger: .discarding)
        let local = try SQLiteNotificationStore(path: path)
        let messages = try local.localMessages(orderID: "ord_1")
        #expect(messages.map(\.channel) == ["email", "sms"])
        #expect(messages[0].to == "buyer@example.com" && messages[0].subject == "Order ord_1: refunded")
        #expect(messages[1].text == "Your payment of 25.00 EUR for order ord_1 has been refunded in full.")
        #expect(try SQLiteServiceFile.published(local.database).count == 2)
        #expect(try local.localMessages(orderID: "ord_other").isEmpty)
    }

    /// Each bad environment and the setting its error must name, written out (not found in the error).
    static let badSettings: [([String: String], String)] = [
        (["NOTIFICATION_CHANNELS": "email,fax"], "NOTIFICATION_CHANNELS"),
        (["NOTIFICATION_CHANNEL": "pigeon"], "NOTIFICATION_CHANNEL"),
        (["NOTIFICATION_CHANNELS": "email", "NOTIFICATION_CHANNEL": "sms"], "NOTIFICATION_CHANNEL"),
        (["NOTIFICATION_STORE": "redis:x"], "NOTIFICATION_STORE"),
        (["NOTIFICATION_STORE": "dynamodb:t", "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s"], "NOTIFICATION_EMAIL_FROM"),
        (["NOTIFICATION_SMS_COUNTRIES": "4"], "NOTIFICATION_SMS_COUNTRIES"),
        (["NOTIFICATION_SMS_COUNTRIES": "1,,44"], "NOTIFICATION_SMS_COUNTRIES"),
        (["NOTIFICATION_SMS_COUNTRIES": "UK"], "NOTIFICATION_SMS_COUNTRIES"),
        (["NOTIFICATION_SMS_COUNTRIES": "1;44"], "NOTIFICATION_SMS_COUNTRIES"),
        (["NOTIFICATION_SMS_COUNTRIES": "440"], "NOTIFICATION_SMS_COUNTRIES"),
    ]

    /// Whether `text` names `setting` as a whole word (NOTIFICATION_CHANNELS does not name NOTIFICATION_CHANNEL).
    static func names(_ text: String, _ setting: String) -> Bool {
        var rest = text[...]
        while let range = rest.range(of: setting) {
            let next = range.upperBound < rest.endIndex ? rest[range.upperBound] : " "
            if !(next.isLetter || next.isNumber || next == "_") { return true }
            rest = rest[range.upperBound...]
        }
        return false
    }

    @Test(arguments: badSettings.indices)
    func aBadSettingIsAnInitErrorNamingIt(index: Int) {
        let (environment, name) = Self.badSettings[index]
        do {
            _ = try FunctionRuntime(NotificationFunctions.definition, environment: environment, logger: .discarding)
            Issue.record("\(environment) started")
        } catch {
            #expect(error is ConfigurationError, "\(environment): \(error)")
            #expect(Self.names(String(describing: error), name), "\(environment): \(error) does not name \(name)")
        }
    }

    /// Where SMS really go out (SNS), a deployment serving SMS must say to which countries; one that serves
    /// only email need not.
    @Test func onDynamoDBTheAllowedCountriesAreRequiredForSMS() throws {
        let aws = ["NOTIFICATION_STORE": "dynamodb:t", "AWS_REGION": "eu-west-1", "AWS_ACCESS_KEY_ID": "a", "AWS_SECRET_ACCESS_KEY": "s",
                   "NOTIFICATION_EMAIL_FROM": "shop@example.com"]
        do {
            _ = try FunctionRuntime(NotificationFunctions.definition, environment: aws, logger: .discarding)
            Issue.record("SMS enabled on DynamoDB without NOTIFICATION_SMS_COUNTRIES started")
        } catch {
            #expect(error is ConfigurationError && String(describing: error).contains("NOTIFICATION_SMS_COUNTRIES is not set"), "\(error)")
        }
        for extra in [["NOTIFICATION_SMS_COUNTRIES": "1,44"], ["NOTIFICATION_CHANNELS": "email"], ["NOTIFICATION_CHANNEL": "email"]] {
            let handler = try NotificationFunctions.served(FunctionDependencies(clock: SteppingClock(), httpClient: CurlHTTPClient(),
                                                                                  environment: aws.merging(extra) { $1 }, logger: .discarding))
            #expect(handler.handler.smsPolicy.countries == extra["NOTIFICATION_SMS_COUNTRIES"].map { _ in [CallingCode("1")!, CallingCode("44")!] }, "\(extra)")
        }
    }
}

/// A channel that keeps what it was given, or refuses while `failing`.
final class RecordingSender: ChannelSender {
    let sent = Mutex<[NotificationMessage]>([])
    let failing = Mutex(false)
    var messages: [NotificationMessage] { sent.withLock { $0 } }

    func send(_ message: NotificationMessage) throws -> String {
        if failing.withLock({ $0 }) { throw ChannelRefusal("channel down") }
        return sent.withLock { $0.append(message); return "msg-\($0.count)" }
    }
}

/// A store whose first sent-record is lost (the process died right after the channel took the message).
final class ForgetfulNotificationStore: NotificationStore {
    let base: any NotificationStore
    let forgetNext = Mutex(true)

    init(base: any NotificationStore) { self.base = base }

    func hasSent(eventID: String, channel: NotificationChannel) throws -> Bool { try base.hasSent(eventID: eventID, channel: channel) }
    func recordSent(_ record: SentRecord, events: [ServiceEvent]) throws -> Bool {
        if forgetNext.withLock({ value in defer { value = false }; return value }) { throw StoreError("died before recording") }
        return try base.recordSent(record, events: events)
    }
    func recordFailure(events: [ServiceEvent]) throws { try base.recordFailure(events: events) }
}
