// The record types live in the leaf module SynclineRecords (so the Kafka module needs nothing of
// the mapping language); everything that imports SynclineMapping sees them as before.
@_exported public import SynclineRecords
