import SynclineMapping
import Testing

/// The naming rule `hub.<purpose>.<connector>.v1` read back as it is written.
@Suite("Topic names")
struct TopicNamesTests {
    @Test("a changelog's connector is read back from its name; other topics have none")
    func connectorOfState() {
        #expect(TopicNames.state(connector: "telephony") == "hub.state.telephony.v1")
        #expect(TopicNames.connector(ofState: TopicNames.state(connector: "telephony")) == "telephony")
        #expect(TopicNames.connector(ofState: TopicNames.state(connector: "a.b")) == "a.b")
        #expect(TopicNames.connector(ofState: TopicNames.repartition(connector: "im")) == nil)
        #expect(TopicNames.connector(ofState: TopicNames.leads) == nil)
        #expect(TopicNames.connector(ofState: "hub.state..v1") == nil)
    }
}
